package dev.chorus.memory;

import dev.chorus.ChorusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads acquire, release, prefetch, cancel, pin, demote and sweep at random. Nothing may deadlock or throw,
 * no runtime may be freed under a lease, budgets may never be exceeded, and accounting ends at zero.
 */
class ExpertStoreStressTest {
    static final int EXPERTS = 8;
    static final int THREADS = 12;
    static final int OPS_PER_THREAD = 150;

    @TempDir
    Path dir;

    @Test
    void randomConcurrentLoadEndsCleanWithBudgetsRespected() throws Exception {
        FakeRuntime.Factory factory = new FakeRuntime.Factory();
        long one = ExpertStoreTest.HOT_ONE;
        ExpertStore<FakeRuntime> store = ExpertStore.builder(factory).hotMemory(3 * one).warmMemory(3 * one)
                .policy(new CostAwarePolicy()).keepAlive(Duration.ofMillis(30))
                .acquireTimeout(Duration.ofSeconds(60)).build();
        for (int i = 0; i < EXPERTS; i++) {
            store.register("e" + i, TinyGguf.write(dir.resolve("e" + i + ".gguf"), ExpertStoreTest.WEIGHTS,
                    ExpertStoreTest.STATE));
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger completed = new AtomicInteger();
        Queue<Prefetch> prefetches = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int seed = t;
            workers.add(pool.submit(() -> {
                Random random = new Random(seed);
                for (int op = 0; op < OPS_PER_THREAD && failure.get() == null; op++) {
                    String id = "e" + random.nextInt(EXPERTS);
                    try {
                        runOne(store, random, id, seed, prefetches);
                        completed.incrementAndGet();
                    } catch (Throwable x) {
                        failure.compareAndSet(null, x);
                    }
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get(5, TimeUnit.MINUTES); // a deadlock fails here instead of hanging the build
        }
        pool.shutdown();
        for (Prefetch p : prefetches) {
            try {
                p.get(30, TimeUnit.SECONDS);
            } catch (CancellationException | ExecutionException expected) {
                // cancelled, or no room: prefetch is advisory
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a worker failed", failure.get());
        }
        store.unpin("e0");
        for (int i = 0; i < EXPERTS; i++) {
            store.setKeepAlive("e" + i, null); // stop the background sweeper changing tiers under the checks below
        }
        ExpertStoreTest.awaitCondition(() -> store.snapshot().experts().stream().allMatch(e -> e.inFlight() == null));
        MemorySnapshot before = store.snapshot();
        assertThat(before.hot().highWater()).isLessThanOrEqualTo(before.hot().capacity());
        assertThat(before.warm().highWater()).isLessThanOrEqualTo(before.warm().capacity());
        assertThat(before.experts().stream().mapToInt(ExpertStatus::leases).sum()).isZero();
        long hotSum = before.experts().stream().filter(e -> e.tier() == Tier.HOT).mapToLong(ExpertStatus::bytes).sum();
        long warmSum = before.experts().stream().filter(e -> e.tier() == Tier.WARM).mapToLong(ExpertStatus::bytes)
                .sum();
        assertThat(before.hot().used()).as("hot budget = sum of hot experts").isEqualTo(hotSum);
        assertThat(before.warm().used()).as("warm budget = sum of warm experts").isEqualTo(warmSum);
        assertThat(factory.live.get()).as("one live runtime per hot expert")
                .isEqualTo(before.experts().stream().filter(e -> e.tier() == Tier.HOT).count());
        assertThat(completed.get()).isEqualTo(THREADS * OPS_PER_THREAD);

        store.close();
        MemorySnapshot after = store.snapshot();
        assertThat(after.hot().used()).isZero();
        assertThat(after.warm().used()).isZero();
        assertThat(factory.live.get()).isZero();
        assertThat(factory.prepared.get()).isZero();
        assertThat(factory.created.get()).isPositive();
    }

    private static void runOne(ExpertStore<FakeRuntime> store, Random random, String id, int thread,
                               Queue<Prefetch> prefetches) throws InterruptedException {
        int dice = random.nextInt(100);
        if (dice < 55) {
            try (ExpertLease<FakeRuntime> lease = store.acquire(id)) {
                lease.runtime().use();
                Thread.sleep(random.nextInt(3));
                lease.runtime().use();
                assertThat(store.tierOf(id)).isEqualTo(Tier.HOT);
            }
        } else if (dice < 75) {
            Prefetch p = store.prefetch(id, random.nextBoolean() ? Tier.HOT : Tier.WARM);
            if (random.nextInt(3) == 0) {
                p.cancel(true);
            }
            prefetches.add(p);
        } else if (dice < 85) {
            store.demote(id, random.nextBoolean() ? Tier.WARM : Tier.COLD);
        } else if (dice < 90 && thread == 0) {
            // only one thread pins, and only e0, so pins can never fill the hot tier and starve everyone
            if (random.nextBoolean()) {
                store.pin("e0");
            } else {
                store.unpin("e0");
            }
        } else if (dice < 95) {
            store.sweepIdle();
        } else {
            MemorySnapshot s = store.snapshot();
            if (s.hot().used() > s.hot().capacity() || s.warm().used() > s.warm().capacity()) {
                throw new ChorusException("budget exceeded: " + s.hot() + " " + s.warm());
            }
        }
    }
}
