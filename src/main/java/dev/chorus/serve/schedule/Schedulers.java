package dev.chorus.serve.schedule;

import dev.chorus.memory.CostAwarePolicy;
import dev.chorus.memory.EvictionPolicy;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.LruPolicy;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FifoScheduler;
import dev.chorus.serve.RequestScheduler;
import dev.chorus.serve.config.SchedulerSettings;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** Builds the scheduler a configuration names ({@code scheduler.policy}) and the eviction policy it pairs with. */
public final class Schedulers {
    private Schedulers() {
    }

    /** Sequences one hot expert must hold KV room for: the batch size, or the thread count of the FIFO scheduler. */
    public static int sequencesPerExpert(SchedulerSettings s, int parallel) {
        return "fifo".equals(s.policyOrDefault()) ? parallel : s.maxBatchOrDefault(parallel);
    }

    /** LRU for the FCFS baselines, cost-aware eviction for the switch-aware scheduler. */
    public static EvictionPolicy evictionPolicy(SchedulerSettings s) {
        return "switch-aware".equals(s.policyOrDefault()) ? new CostAwarePolicy() : new LruPolicy();
    }

    /**
     * The scheduler for the experts; remote experts are wrapped with retries and fallback by the caller.
     *
     * @param hotSlots how many experts the hot budget holds at once (for prefetch: the others go to warm)
     */
    public static RequestScheduler create(SchedulerSettings s, int parallel, int maxQueue, ExpertStore<?> store,
                                          Map<String, ExpertBackend> experts, int hotSlots, int warmSlots) {
        if ("fifo".equals(s.policyOrDefault())) {
            return new FifoScheduler(parallel, maxQueue);
        }
        SchedulingPolicy policy = SchedulingPolicy.byName(s.policyOrDefault(),
                TimeUnit.MILLISECONDS.toNanos(s.fairnessMillisOrDefault()));
        SchedulerCore core = new SchedulerCore(policy, new LocalRuns(), System::nanoTime, s.maxBatchOrDefault(parallel),
                maxQueue);
        if (policy.prefetches() && store != null) {
            Set<String> local = experts.values().stream().filter(SchedulerCore::batchable).map(ExpertBackend::id)
                    .collect(Collectors.toSet());
            // Warm prefetch leaves half the warm tier to recently used experts, so it does not thrash the disk.
            core.setPrefetcher(new StorePrefetcher(store, local, Math.max(0, hotSlots - 1), warmSlots / 2));
        }
        return new BatchingScheduler(core, maxQueue);
    }
}
