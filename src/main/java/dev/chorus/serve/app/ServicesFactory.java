package dev.chorus.serve.app;

import dev.chorus.memory.ExpertStore;
import dev.chorus.router.Encoder;
import dev.chorus.router.Router;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.RequestScheduler;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ExpertConfig;
import dev.chorus.serve.config.SchedulerSettings;
import dev.chorus.serve.schedule.BatchingScheduler;
import dev.chorus.serve.schedule.NextBestExpert;
import dev.chorus.serve.schedule.RemoteHealth;
import dev.chorus.serve.schedule.Schedulers;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import dev.chorus.serve.local.StoreTiers;
import dev.chorus.serve.remote.RemoteExpert;
import dev.chorus.serve.routing.EncoderEmbedder;
import dev.chorus.serve.routing.RouterAdapter;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Opens everything a configuration describes: encoder and router, expert store, local and remote experts. */
public final class ServicesFactory {
    private ServicesFactory() {
    }

    public static ChorusServices build(ChorusConfig config, ServerMetrics metrics) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        Map<String, ExpertBackend> experts = new LinkedHashMap<>();
        try {
            ServerSettings server = config.serverOrDefault();
            SchedulerSettings scheduling = config.schedulerOrDefault();
            ExpertStore<ModelRuntime> store = ExpertStore.builder(new ModelRuntime.Factory(server.threadsOrDefault(),
                            Schedulers.sequencesPerExpert(scheduling, server.parallelOrDefault()),
                            server.contextLengthOrDefault(), server.kvCacheOrDefault()))
                    .hotMemory(config.memoryOrDefault().hotOrDefault().bytes())
                    .warmMemory(config.memoryOrDefault().warmOrDefault().bytes())
                    // memory.eviction when set; otherwise the scheduler's pair (LRU for fcfs-lru, cost-aware else).
                    .policy(config.memoryOrDefault().eviction() != null ? config.memoryOrDefault().policy()
                            : Schedulers.evictionPolicy(scheduling))
                    .keepAlive(config.memoryOrDefault().keepAliveDuration())
                    .meterRegistry(metrics.registry())
                    .build();
            opened.add(store);
            Set<String> remote = new LinkedHashSet<>();
            for (ExpertConfig e : config.experts()) {
                if (e.isRemote()) {
                    experts.put(e.id(), RemoteExpert.fromConfig(e));
                    remote.add(e.id());
                } else {
                    store.register(e.id(), Path.of(e.path()));
                    experts.put(e.id(), LocalExpert.open(e.id(), e.describe(), Path.of(e.path()), store,
                            server.contextLengthOrDefault()));
                }
            }
            for (ExpertConfig e : config.experts()) {
                if (e.isPinned() && !e.isRemote()) {
                    store.pin(e.id());
                }
            }
            Encoder encoder = RouterSetup.openEncoder();
            opened.add(encoder);
            Router router = RouterSetup.open(config, encoder);
            RequestScheduler scheduler = Schedulers.create(scheduling, server.parallelOrDefault(),
                    config.limitsOrDefault().maxQueueOrDefault(), store, experts, slots(store, true),
                    slots(store, false));
            StoreTiers tiers = new StoreTiers(store, remote);
            if (scheduler instanceof BatchingScheduler batching) {
                RemoteHealth health = new RemoteHealth();
                Map<String, List<String>> ranked = new HashMap<>();
                config.categories().forEach(c -> ranked.put(c.name(), c.ranked()));
                batching.configureRemote(scheduling.remoteRetriesOrDefault(), Duration.ofMillis(200), health,
                        new NextBestExpert(ranked, config.fallback(), experts, health::healthy));
                tiers = new StoreTiers(store, remote, batching.remoteHealth()::stats);
            }
            return new ChorusServices(experts, new RouterAdapter(router), new EncoderEmbedder(encoder),
                    tiers, scheduler, config.limitsOrDefault().maxPromptTokensOrDefault(),
                    opened);
        } catch (IOException | RuntimeException e) {
            experts.values().forEach(ExpertBackend::close);
            for (AutoCloseable c : opened.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** How many of the largest local experts fit in the hot (or warm) budget at once; at least 1. */
    private static int slots(ExpertStore<ModelRuntime> store, boolean hot) {
        var snapshot = store.snapshot();
        long largest = 0;
        for (var e : snapshot.experts()) {
            largest = Math.max(largest, hot ? e.weightBytes() + e.stateBytes() : e.weightBytes());
        }
        long capacity = hot ? snapshot.hot().capacity() : snapshot.warm().capacity();
        return largest == 0 ? 1 : (int) Math.max(1, Math.min(64, capacity / largest));
    }
}
