package dev.chorus.serve.schedule;

import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.Prefetch;
import dev.chorus.memory.Tier;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the experts of waiting requests ahead of their turn, so a switch overlaps the current expert's compute: the
 * expert with the oldest waiting request goes to HOT when the hot tier has room for a second expert, the next ones to
 * WARM. Prefetch is advisory (the store refuses it rather than evict experts in use); one prefetch per expert is in
 * flight at a time.
 */
public final class StorePrefetcher implements SchedulerCore.Prefetcher {
    private final ExpertStore<?> store;
    private final Set<String> localExperts;
    private final int hotAhead;
    private final int warmAhead;
    private final Map<String, Prefetch> inFlight = new HashMap<>();
    private long issued;

    /**
     * @param hotAhead  experts to make hot besides the current one (hot slots - 1)
     * @param warmAhead experts to make warm after those
     */
    public StorePrefetcher(ExpertStore<?> store, Set<String> localExperts, int hotAhead, int warmAhead) {
        this.store = store;
        this.localExperts = Set.copyOf(localExperts);
        this.hotAhead = hotAhead;
        this.warmAhead = warmAhead;
    }

    @Override
    public void hint(String current, QueueView queues) {
        inFlight.values().removeIf(Prefetch::isDone);
        List<String> waiting = new ArrayList<>();
        for (String e : queues.waitingExperts()) {
            if (!e.equals(current) && localExperts.contains(e)) {
                waiting.add(e);
            }
        }
        // Oldest waiting request first: the order the policy turns to under load (and overdue requests go first).
        waiting.sort(Comparator.comparingLong(queues::oldestArrival));
        for (int i = 0; i < waiting.size() && i < hotAhead + warmAhead; i++) {
            String id = waiting.get(i);
            Tier target = i < hotAhead ? Tier.HOT : Tier.WARM;
            if (inFlight.containsKey(id) || store.tierOf(id).compareTo(target) >= 0) {
                continue;
            }
            try {
                inFlight.put(id, store.prefetch(id, target));
                issued++;
            } catch (RuntimeException e) {
                // Advisory: a store that is closing or full of experts in use simply does not prefetch.
            }
        }
    }

    /** Prefetches started so far. */
    public long issued() {
        return issued;
    }
}
