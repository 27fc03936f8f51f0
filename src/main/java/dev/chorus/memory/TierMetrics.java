package dev.chorus.memory;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters of the tiers: one latency histogram per transition ({@code chorus.memory.transition}, tag
 * {@code transition}), tier usage and capacity gauges, and per-expert tier / loads / load-time meters.
 */
final class TierMetrics {
    static final String COLD_TO_WARM = "cold_to_warm";
    static final String WARM_TO_HOT = "warm_to_hot";
    static final String HOT_TO_WARM = "hot_to_warm";
    static final String WARM_TO_COLD = "warm_to_cold";
    /** The background mlock after a promotion (not on the request's path). */
    static final String LOCK = "lock";

    private final MeterRegistry registry;
    private final Map<String, Timer> timers;
    private final io.micrometer.core.instrument.Counter incompleteDrops;

    TierMetrics(MeterRegistry registry) {
        this.registry = registry == null ? new SimpleMeterRegistry() : registry;
        this.timers = Map.of(
                COLD_TO_WARM, timer(COLD_TO_WARM), WARM_TO_HOT, timer(WARM_TO_HOT),
                HOT_TO_WARM, timer(HOT_TO_WARM), WARM_TO_COLD, timer(WARM_TO_COLD), LOCK, timer(LOCK));
        this.incompleteDrops = io.micrometer.core.instrument.Counter.builder("chorus.memory.drop.incomplete")
                .description("warm -> cold transitions after which mincore still found > 5% of the file cached")
                .register(this.registry);
    }

    private Timer timer(String transition) {
        return Timer.builder("chorus.memory.transition")
                .description("Time an expert's move between memory tiers took")
                .tag("transition", transition)
                .publishPercentileHistogram()
                .register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    /** Records the time since {@code startNanos} and returns it. */
    long record(String transition, long startNanos) {
        long elapsed = System.nanoTime() - startNanos;
        timers.get(transition).record(elapsed, TimeUnit.NANOSECONDS);
        return elapsed;
    }

    void incompleteDrop() {
        incompleteDrops.increment();
    }

    Timer transitionTimer(String transition) {
        return timers.get(transition);
    }

    void registerBudget(MemoryBudget budget) {
        Gauge.builder("chorus.memory.used", budget, MemoryBudget::used).tag("tier", budget.name())
                .baseUnit("bytes").register(registry);
        Gauge.builder("chorus.memory.capacity", budget, MemoryBudget::capacity).tag("tier", budget.name())
                .baseUnit("bytes").register(registry);
    }

    <T> void registerExpert(String id, T entry, ToDoubleFunction<T> tierOrdinal, ToDoubleFunction<T> loads,
                            ToDoubleFunction<T> loadSeconds) {
        Gauge.builder("chorus.expert.tier", entry, tierOrdinal).tag("expert", id)
                .description("0 = cold, 1 = warm, 2 = hot").register(registry);
        FunctionCounter.builder("chorus.expert.loads", entry, loads).tag("expert", id).register(registry);
        FunctionCounter.builder("chorus.expert.load.time", entry, loadSeconds).tag("expert", id)
                .baseUnit("seconds").register(registry);
    }
}
