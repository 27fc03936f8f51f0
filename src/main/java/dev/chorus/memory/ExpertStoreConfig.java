package dev.chorus.memory;

import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How an {@link ExpertStore} is set up. Build it with {@link ExpertStore#builder}.
 *
 * @param clock            nanosecond clock for last-use, keep-alive and request rates (tests pass a fake one)
 * @param defaultKeepAlive how long an idle expert stays hot before demotion to warm; null = until evicted
 * @param rateWindow       the decay window of the per-expert request rate the cost-aware policy uses
 */
public record ExpertStoreConfig<R extends ExpertRuntime>(ExpertRuntimeFactory<R> factory, long hotBytes,
                                                          long warmBytes, EvictionPolicy policy,
                                                          MeterRegistry registry, PageLocker locker,
                                                          LongSupplier clock, Duration acquireTimeout,
                                                          Duration defaultKeepAlive, Duration rateWindow) {
    public ExpertStoreConfig {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(locker, "locker");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(acquireTimeout, "acquireTimeout");
        Objects.requireNonNull(rateWindow, "rateWindow");
        if (hotBytes <= 0) {
            throw new IllegalArgumentException("the hot memory budget must be positive");
        }
        if (warmBytes < 0) {
            throw new IllegalArgumentException("the warm memory budget must not be negative");
        }
    }

    /** Fluent builder with defaults: LRU, native mlock, 60 s acquire timeout, no keep-alive, 60 s rate window. */
    public static final class Builder<R extends ExpertRuntime> {
        private final ExpertRuntimeFactory<R> factory;
        private long hotBytes = -1;
        private long warmBytes;
        private EvictionPolicy policy = new LruPolicy();
        private MeterRegistry registry;
        private PageLocker locker = PageLocker.NATIVE;
        private LongSupplier clock = System::nanoTime;
        private Duration acquireTimeout = Duration.ofSeconds(60);
        private Duration keepAlive;
        private Duration rateWindow = Duration.ofSeconds(60);

        Builder(ExpertRuntimeFactory<R> factory) {
            this.factory = factory;
        }

        public Builder<R> hotMemory(long bytes) {
            this.hotBytes = bytes;
            return this;
        }

        public Builder<R> warmMemory(long bytes) {
            this.warmBytes = bytes;
            return this;
        }

        public Builder<R> policy(EvictionPolicy policy) {
            this.policy = policy;
            return this;
        }

        public Builder<R> meterRegistry(MeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        public Builder<R> locker(PageLocker locker) {
            this.locker = locker;
            return this;
        }

        public Builder<R> clock(LongSupplier nanoClock) {
            this.clock = nanoClock;
            return this;
        }

        public Builder<R> acquireTimeout(Duration timeout) {
            this.acquireTimeout = timeout;
            return this;
        }

        public Builder<R> keepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        public Builder<R> rateWindow(Duration window) {
            this.rateWindow = window;
            return this;
        }

        public ExpertStore<R> build() {
            return new ExpertStore<>(new ExpertStoreConfig<>(factory, hotBytes, warmBytes, policy, registry, locker,
                    clock, acquireTimeout, keepAlive, rateWindow));
        }
    }
}
