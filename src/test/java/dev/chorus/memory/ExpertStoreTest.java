package dev.chorus.memory;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufFile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExpertStoreTest {
    static final long WEIGHTS = 1 << 20;
    static final long STATE = 256 << 10;
    static final long HOT_ONE = WEIGHTS + 4096 + STATE; // one expert's file (tensor + header) plus its state

    @TempDir
    Path dir;
    final FakeRuntime.Factory factory = new FakeRuntime.Factory();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    ExpertStore<FakeRuntime> store;

    ExpertStore<FakeRuntime> store(int hotExperts, int warmExperts, EvictionPolicy policy) throws IOException {
        return store(hotExperts, warmExperts, policy, PageLocker.NATIVE);
    }

    ExpertStore<FakeRuntime> store(int hotExperts, int warmExperts, EvictionPolicy policy, PageLocker locker)
            throws IOException {
        store = ExpertStore.builder(factory).hotMemory(hotExperts * HOT_ONE).warmMemory(warmExperts * HOT_ONE)
                .policy(policy).meterRegistry(registry).clock(clock::get).locker(locker)
                .acquireTimeout(Duration.ofSeconds(20)).build();
        for (String id : List.of("a", "b", "c", "d")) {
            store.register(id, TinyGguf.write(dir.resolve(id + ".gguf"), WEIGHTS, STATE));
        }
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
            MemorySnapshot s = store.snapshot();
            assertThat(s.hot().used()).as("hot accounting back to zero").isZero();
            assertThat(s.warm().used()).as("warm accounting back to zero").isZero();
            assertThat(factory.live.get()).as("runtimes freed").isZero();
            assertThat(factory.prepared.get()).as("prepared experts closed").isZero();
        }
    }

    void use(String id) {
        clock.addAndGet(1_000_000);
        try (ExpertLease<FakeRuntime> lease = store.acquire(id)) {
            lease.runtime().use();
        }
    }

    @Test
    void acquireLoadsColdToHotLockedAndAccountsRealBytes() throws Exception {
        store(2, 2, new LruPolicy());
        try (ExpertLease<FakeRuntime> lease = store.acquire("a")) {
            lease.runtime().use();
            ExpertStatus a = status("a");
            assertThat(a.tier()).isEqualTo(Tier.HOT);
            assertThat(a.leases()).isEqualTo(1);
            assertThat(a.loads()).isEqualTo(1);
            awaitLocked("a"); // locked in the background; this machine permits mlock (root / large RLIMIT_MEMLOCK)
            assertThat(a.bytes()).isEqualTo(a.weightBytes() + STATE);
            assertThat(store.snapshot().hot().used()).isEqualTo(a.bytes());
            assertThat(Residency.residentFraction(a.path())).isGreaterThan(0.99);
        }
        assertThat(registry.get("chorus.memory.transition").tag("transition", "cold_to_warm").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("chorus.memory.transition").tag("transition", "warm_to_hot").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("chorus.memory.used").tag("tier", "hot").gauge().value()).isPositive();
        assertThat(registry.get("chorus.expert.loads").tag("expert", "a").functionCounter().count()).isEqualTo(1);
    }

    @Test
    void lruEvictsLeastRecentlyUsedToWarmAndOverflowGoesCold() throws IOException {
        store(2, 1, new LruPolicy());
        use("a");
        use("b");
        use("a");
        use("c"); // evicts b (least recent) to warm
        assertThat(store.tierOf("b")).isEqualTo(Tier.WARM);
        assertThat(store.tierOf("a")).isEqualTo(Tier.HOT);
        use("d"); // evicts a; warm holds one expert, so the idle warm b goes cold to make room
        assertThat(store.tierOf("a")).isEqualTo(Tier.WARM);
        assertThat(store.tierOf("b")).isEqualTo(Tier.COLD);
        assertThat(Residency.residentFraction(status("b").path())).as("cold means dropped").isLessThan(0.01);
        assertThat(store.snapshot().hot().highWater()).isLessThanOrEqualTo(2 * HOT_ONE);
    }

    @Test
    void costAwareKeepsThePopularExpertThatLruWouldEvict() throws IOException {
        store(2, 2, new CostAwarePolicy());
        for (int i = 0; i < 20; i++) {
            use("a"); // popular
        }
        use("b"); // b is the most recent, but requested once
        use("c"); // LRU would evict a; cost-aware evicts b (lower rate x reload time)
        assertThat(store.tierOf("a")).isEqualTo(Tier.HOT);
        assertThat(store.tierOf("b")).isEqualTo(Tier.WARM);
    }

    @Test
    void aLeasedExpertIsNeverDemotedAndWaitersGetItsRoomWhenItIsReleased() throws Exception {
        store(1, 1, new LruPolicy());
        ExpertLease<FakeRuntime> a = store.acquire("a");
        assertThatThrownBy(() -> store.acquire("b", Duration.ofMillis(200)))
                .isInstanceOf(ChorusException.class).hasMessageContaining("held by experts in use");
        assertThat(store.demote("a", Tier.COLD)).isFalse();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Tier> b = pool.submit(() -> {
                try (ExpertLease<FakeRuntime> lease = store.acquire("b")) {
                    lease.runtime().use();
                    return store.tierOf("a");
                }
            });
            Thread.sleep(100);
            a.runtime().use();
            assertThat(store.tierOf("a")).isEqualTo(Tier.HOT);
            a.close();
            assertThat(b.get(10, TimeUnit.SECONDS)).isEqualTo(Tier.WARM);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void pinnedExpertsStayHot() throws IOException {
        store(1, 2, new LruPolicy());
        store.pin("a");
        assertThat(status("a").pinned()).isTrue();
        assertThatThrownBy(() -> store.acquire("b", Duration.ofMillis(100))).isInstanceOf(ChorusException.class);
        store.unpin("a");
        use("b");
        assertThat(store.tierOf("a")).isEqualTo(Tier.WARM);
    }

    @Test
    void keepAliveDemotesIdleHotExpertsToWarm() throws IOException {
        store(2, 2, new LruPolicy());
        store.setKeepAlive("a", Duration.ofHours(1));
        use("a");
        use("b");
        clock.addAndGet(Duration.ofMinutes(30).toNanos());
        assertThat(store.sweepIdle()).isZero();
        clock.addAndGet(Duration.ofMinutes(31).toNanos());
        assertThat(store.sweepIdle()).isEqualTo(1);
        assertThat(store.tierOf("a")).isEqualTo(Tier.WARM);
        assertThat(store.tierOf("b")).as("no keep-alive: stays until evicted").isEqualTo(Tier.HOT);
    }

    @Test
    void demoteToColdDropsThePagesAndReacquireReloadsFromDisk() throws IOException {
        store(2, 2, new LruPolicy());
        use("a");
        Path file = status("a").path();
        assertThat(store.demote("a", Tier.WARM)).isTrue();
        assertThat(Residency.residentFraction(file)).isGreaterThan(0.99);
        assertThat(store.snapshot().warm().used()).isEqualTo(status("a").weightBytes());
        assertThat(store.demote("a", Tier.COLD)).isTrue();
        assertThat(Residency.residentFraction(file)).isLessThan(0.01);
        use("a");
        assertThat(status("a").loads()).isEqualTo(2);
        assertThat(registry.get("chorus.memory.transition").tag("transition", "warm_to_cold").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("chorus.memory.drop.incomplete").counter().count()).isZero();
    }

    @Test
    void aDropThatLeavesPagesCachedIsCountedAndReported() throws IOException {
        store(2, 2, new LruPolicy());
        use("a");
        Path file = status("a").path();
        try (GgufFile other = GgufFile.open(file)) { // another mapping keeps the pages: DONTNEED cannot drop them
            Residency.lock(other.mapping());
            assertThat(store.demote("a", Tier.COLD)).isTrue();
            assertThat(registry.get("chorus.memory.drop.incomplete").counter().count()).isEqualTo(1);
            Residency.unlock(other.mapping());
        }
    }

    @Test
    void prefetchWarmsWithoutBuildingTheRuntime() throws Exception {
        store(2, 2, new LruPolicy());
        Prefetch p = store.prefetch("c", Tier.WARM);
        assertThat(p.get(10, TimeUnit.SECONDS)).isEqualTo(Tier.WARM);
        assertThat(factory.created.get()).isZero();
        assertThat(factory.prepared.get()).as("warm keeps the prepared model").isEqualTo(1);
        assertThat(Residency.residentFraction(status("c").path())).isGreaterThan(0.99);
        assertThat(store.prefetch("c", Tier.HOT).get(10, TimeUnit.SECONDS)).isEqualTo(Tier.HOT);
        assertThat(status("c").leases()).isZero();
    }

    @Test
    void cancellingAPrefetchStopsTheLoadAndReturnsTheExpertToCold() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        FakeRuntime.Factory blocking = new FakeRuntime.Factory() {
            @Override
            void beforeCreate(GgufFile weights) {
                entered.countDown();
                awaitQuietly(proceed);
            }
        };
        swapFactory(blocking);
        Prefetch p = store.prefetch("a", Tier.HOT);
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(status("a").inFlight()).isEqualTo(Tier.HOT);
        assertThat(p.cancel(true)).isTrue();
        proceed.countDown();
        awaitTier("a", Tier.COLD);
        assertThat(p.isCancelled()).isTrue();
        assertThat(store.snapshot().hot().used()).isZero();
        assertThat(blocking.live.get()).isZero();
    }

    @Test
    void concurrentAcquiresOfOneExpertCoalesceIntoOneLoad() throws Exception {
        CountDownLatch proceed = new CountDownLatch(1);
        FakeRuntime.Factory slow = new FakeRuntime.Factory() {
            @Override
            void beforeCreate(GgufFile weights) {
                awaitQuietly(proceed);
            }
        };
        swapFactory(slow);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> {
                    try (ExpertLease<FakeRuntime> lease = store.acquire("a")) {
                        lease.runtime().use();
                    }
                }));
            }
            Thread.sleep(200);
            proceed.countDown();
            for (Future<?> f : all) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(slow.created.get()).isEqualTo(1);
        assertThat(status("a").loads()).isEqualTo(1);
    }

    @Test
    void whenMlockIsRefusedExpertsAreResidentButNotLockedAndTheSnapshotSaysWhy() throws Exception {
        PageLocker refusing = new PageLocker() {
            @Override
            public void lock(java.lang.foreign.MemorySegment mapped) {
                throw new NativeCallException("mlock", Errno.ENOMEM, "(simulated RLIMIT_MEMLOCK)");
            }

            @Override
            public void unlock(java.lang.foreign.MemorySegment mapped) {
                throw new AssertionError("never locked, never unlocked");
            }
        };
        store(2, 2, new LruPolicy(), refusing);
        use("a");
        awaitCondition(() -> store.snapshot().lockingDegraded() != null);
        ExpertStatus a = status("a");
        assertThat(a.tier()).isEqualTo(Tier.HOT);
        assertThat(a.locked()).isFalse();
        assertThat(store.snapshot().lockingDegraded()).contains("RLIMIT_MEMLOCK").contains("not locked");
        assertThat(Residency.residentFraction(a.path())).isGreaterThan(0.99);
    }

    @Test
    void aFailedLoadLeavesNothingBehindAndSaysWhich() throws IOException {
        swapFactory(new FakeRuntime.Factory() {
            @Override
            void beforeCreate(GgufFile weights) throws IOException {
                throw new IOException("KV cache allocation refused");
            }
        });
        assertThatThrownBy(() -> store.acquire("b")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("loading expert b failed").hasMessageContaining("KV cache allocation refused");
        assertThat(store.tierOf("b")).isEqualTo(Tier.COLD);
        assertThat(store.snapshot().hot().used()).isZero();
    }

    @Test
    void badConfigurationIsAStartupError() throws IOException {
        store(1, 1, new LruPolicy());
        Path big = TinyGguf.write(dir.resolve("big.gguf"), 2 * HOT_ONE, 0);
        assertThatThrownBy(() -> store.register("big", big)).isInstanceOf(ChorusException.class)
                .hasMessageContaining("expert big needs").hasMessageContaining("hot memory budget");
        Path small = TinyGguf.write(dir.resolve("small.gguf"), 1024, 0);
        assertThatThrownBy(() -> store.register("a", small)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> store.register("again", dir.resolve("a.gguf")))
                .hasMessageContaining("share the file");
        assertThatThrownBy(() -> store.acquire("nobody")).hasMessageContaining("unknown expert 'nobody'");
        assertThatThrownBy(() -> store.register("x", dir.resolve("missing.gguf"))).isInstanceOf(IOException.class);
    }

    private void swapFactory(FakeRuntime.Factory replacement) throws IOException {
        store = ExpertStore.builder(replacement).hotMemory(2 * HOT_ONE).warmMemory(2 * HOT_ONE)
                .meterRegistry(registry).clock(clock::get).acquireTimeout(Duration.ofSeconds(20)).build();
        for (String id : List.of("a", "b")) {
            store.register(id, TinyGguf.write(dir.resolve(id + ".gguf"), WEIGHTS, STATE));
        }
    }

    private void awaitTier(String id, Tier tier) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (store.tierOf(id) != tier || status(id).inFlight() != null) {
            assertThat(System.nanoTime()).as("expert " + id + " reaches " + tier).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private void awaitLocked(String id) throws InterruptedException {
        awaitCondition(() -> status(id).locked());
    }

    static void awaitCondition(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition reached in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ExpertStatus status(String id) {
        return store.snapshot().experts().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }
}
