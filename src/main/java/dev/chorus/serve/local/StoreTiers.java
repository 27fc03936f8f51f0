package dev.chorus.serve.local;

import dev.chorus.memory.ExpertLease;
import dev.chorus.memory.ExpertStatus;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.MemorySnapshot;
import dev.chorus.memory.Tier;
import dev.chorus.serve.ExpertState;
import dev.chorus.serve.ExpertTiers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The server's {@link ExpertTiers} view over the tiers package's {@link ExpertStore} (local experts), plus the
 * remote experts, which have no tier of their own ("remote").
 */
public final class StoreTiers implements ExpertTiers {
    private final ExpertStore<?> store;
    private final Set<String> remoteIds;

    public StoreTiers(ExpertStore<?> store, Set<String> remoteIds) {
        this.store = store;
        this.remoteIds = Set.copyOf(remoteIds);
    }

    @Override
    public List<ExpertState> states() {
        List<ExpertState> out = new ArrayList<>();
        for (ExpertStatus s : store.snapshot().experts()) {
            Map<String, Object> stats = new LinkedHashMap<>();
            stats.put("weight_bytes", s.weightBytes());
            stats.put("state_bytes", s.stateBytes());
            stats.put("locked", s.locked());
            stats.put("leases", s.leases());
            stats.put("in_flight", s.inFlight() == null ? null : name(s.inFlight()));
            stats.put("loads", s.loads());
            stats.put("load_ms", s.loadTime() == null ? 0 : s.loadTime().toNanos() / 1e6);
            stats.put("last_use", s.lastUse() == null ? null : s.lastUse().toString());
            stats.put("requests_per_second", s.requestsPerSecond());
            out.add(new ExpertState(s.id(), "local", name(s.tier()), s.bytes(), s.pinned(), stats));
        }
        for (String id : remoteIds) {
            out.add(new ExpertState(id, "remote", "remote", 0, false, Map.of()));
        }
        return out;
    }

    @Override
    public Map<String, Long> bytesByTier() {
        MemorySnapshot snap = store.snapshot();
        return Map.of("hot", snap.hot().used(), "warm", snap.warm().used());
    }

    @Override
    public void load(String expertId) {
        requireLocal(expertId);
        try (ExpertLease<?> ignored = store.acquire(expertId)) {
            // Acquiring makes it hot; it stays hot after the lease closes until evicted or idle past keep-alive.
        }
    }

    @Override
    public void unload(String expertId) {
        requireLocal(expertId);
        if (!store.demote(expertId, Tier.WARM)) {
            throw new IllegalStateException("expert '" + expertId + "' is in use or pinned; it cannot be unloaded now");
        }
    }

    @Override
    public void pin(String expertId, boolean pinned) {
        requireLocal(expertId);
        if (pinned) {
            store.pin(expertId);
        } else {
            store.unpin(expertId);
        }
    }

    private void requireLocal(String id) {
        if (remoteIds.contains(id)) {
            throw new IllegalStateException("expert '" + id + "' is remote; its memory is managed by its own server");
        }
    }

    static String name(Tier tier) {
        return tier.name().toLowerCase(Locale.ROOT);
    }
}
