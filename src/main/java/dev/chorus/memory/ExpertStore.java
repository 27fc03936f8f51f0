package dev.chorus.memory;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * Owns every expert's weights and moves them between {@link Tier cold, warm and hot} within byte budgets.
 *
 * <p>Callers {@link #acquire} an expert for a request and get a lease that keeps it hot until closed; they may
 * {@link #prefetch} experts they will need soon, {@link #pin} experts that must stay hot, and read a
 * {@link #snapshot}. Decisions and accounting happen under one lock; file I/O, locking and runtime construction happen
 * outside it, with the expert marked by its in-flight {@link Transition} so that concurrent requests for it wait for
 * that one load instead of starting another. Budgets are reserved before memory is used and released after it is
 * freed, so they are never exceeded.
 */
public final class ExpertStore<R extends ExpertRuntime> implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ExpertStore.class.getName());

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, ExpertEntry<R>> experts = new LinkedHashMap<>();
    private final Map<String, ExpertLease<R>> pins = new HashMap<>();
    private final Set<Prefetch> pendingPrefetches = ConcurrentHashMap.newKeySet();
    private final ExpertStoreConfig<R> config;
    private final MemoryBudget hot;
    private final MemoryBudget warm;
    private final TierMetrics metrics;
    private final TierMover<R> mover;
    private final ExecutorService prefetchPool;
    private final IdleSweeper sweeper;
    private boolean closed;

    ExpertStore(ExpertStoreConfig<R> config) {
        this.config = config;
        this.hot = new MemoryBudget("hot", config.hotBytes());
        this.warm = new MemoryBudget("warm", config.warmBytes());
        this.metrics = new TierMetrics(config.registry());
        this.mover = new TierMover<>(config.factory(), config.locker(), metrics);
        this.prefetchPool = DaemonThreads.fixedPool("chorus-prefetch", 2);
        this.sweeper = new IdleSweeper(this::sweepIdle);
        metrics.registerBudget(hot);
        metrics.registerBudget(warm);
        if (config.defaultKeepAlive() != null) {
            sweeper.start(config.defaultKeepAlive());
        }
        long memlock = Residency.memlockLimit();
        if (memlock >= 0 && memlock < hot.capacity()) {
            LOG.info("RLIMIT_MEMLOCK is " + ByteSize.format(memlock) + ", below the hot budget of "
                    + ByteSize.format(hot.capacity()) + ": unless this process may lock more (CAP_IPC_LOCK), hot "
                    + "experts will be resident but not locked (raise it with `ulimit -l`)");
        }
    }

    public static <R extends ExpertRuntime> ExpertStoreConfig.Builder<R> builder(ExpertRuntimeFactory<R> factory) {
        return new ExpertStoreConfig.Builder<>(factory);
    }

    /**
     * Adds an expert (cold; the OS page cache is left as it is). Reads only the file's header.
     *
     * @throws ChorusException when its weights plus runtime state exceed the hot budget, or the id or file is taken
     */
    public void register(String id, Path file) throws IOException {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("expert id must not be blank");
        }
        Path path = file.toRealPath();
        long fileBytes;
        long stateBytes;
        try (GgufFile weights = GgufFile.open(path)) {
            fileBytes = weights.fileSize();
            stateBytes = config.factory().stateBytes(weights);
        }
        if (fileBytes + stateBytes > hot.capacity()) {
            throw new ChorusException("expert " + id + " needs " + ByteSize.format(fileBytes + stateBytes)
                    + " when hot (weights " + ByteSize.format(fileBytes) + " + runtime state "
                    + ByteSize.format(stateBytes) + ") but the hot memory budget is " + ByteSize.format(hot.capacity()));
        }
        lock.lock();
        try {
            checkOpen();
            if (experts.containsKey(id)) {
                throw new IllegalArgumentException("expert id '" + id + "' is already registered");
            }
            for (ExpertEntry<R> other : experts.values()) {
                if (other.path.equals(path)) {
                    throw new IllegalArgumentException("experts '" + other.id + "' and '" + id + "' share the file "
                            + path + " (dropping one's pages would drop the other's)");
                }
            }
            ExpertEntry<R> entry = new ExpertEntry<>(id, path, fileBytes, stateBytes, config.rateWindow().toNanos());
            entry.keepAlive = config.defaultKeepAlive();
            experts.put(id, entry);
            metrics.registerExpert(id, entry, x -> x.tier.ordinal(), x -> x.loads, x -> x.loadNanosTotal / 1e9);
        } finally {
            lock.unlock();
        }
    }

    /** Makes the expert hot (loading it if needed) and returns a lease that keeps it hot until closed. */
    public ExpertLease<R> acquire(String id) {
        return acquire(id, config.acquireTimeout());
    }

    /**
     * As {@link #acquire(String)}, waiting at most {@code timeout} for room in the hot tier.
     *
     * @throws ChorusException when the hot tier stays full of experts in use past the timeout, or loading failed
     */
    public ExpertLease<R> acquire(String id, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            ExpertEntry<R> e = entry(id);
            e.rate.record(now());
            while (true) {
                checkOpen();
                if (e.transition != null) {
                    awaitTransition(e, deadline, true);
                } else if (e.tier == Tier.HOT) {
                    e.leases++;
                    e.lastUseNanos = now();
                    return new ExpertLease<>(this, e);
                } else if (hot.tryReserve(e.hotBytes())) {
                    promote(e, new Transition(Tier.HOT));
                } else if (!makeRoom(Tier.HOT, e.hotBytes(), e)) {
                    awaitChange(deadline, e);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts moving the expert up to {@code target} (WARM or HOT) in the background. Advisory: it completes
     * exceptionally when there is no room without demoting experts in use. Taking no lease, a hot-prefetched expert
     * may be evicted again before it is used.
     */
    public Prefetch prefetch(String id, Tier target) {
        if (target == Tier.COLD) {
            throw new IllegalArgumentException("prefetch target must be WARM or HOT");
        }
        ExpertEntry<R> e;
        lock.lock();
        try {
            checkOpen();
            e = entry(id);
        } finally {
            lock.unlock();
        }
        Prefetch p = new Prefetch(id, target);
        pendingPrefetches.add(p);
        prefetchPool.execute(() -> runPrefetch(p, e));
        return p;
    }

    /** Keeps the expert hot until {@link #unpin}: it is loaded now and never evicted meanwhile. */
    public void pin(String id) {
        ExpertLease<R> lease = acquire(id);
        lock.lock();
        try {
            if (pins.putIfAbsent(id, lease) == null) {
                experts.get(id).pinned = true;
                return;
            }
        } finally {
            lock.unlock();
        }
        lease.close(); // already pinned
    }

    public void unpin(String id) {
        ExpertLease<R> lease;
        lock.lock();
        try {
            lease = pins.remove(id);
            entry(id).pinned = false;
        } finally {
            lock.unlock();
        }
        if (lease != null) {
            lease.close();
        }
    }

    /** How long the expert may stay hot while idle before it is demoted to warm; null keeps it until evicted. */
    public void setKeepAlive(String id, Duration keepAlive) {
        lock.lock();
        try {
            entry(id).keepAlive = keepAlive;
        } finally {
            lock.unlock();
        }
        if (keepAlive != null) {
            sweeper.start(keepAlive);
        }
    }

    /**
     * Demotes an idle expert to {@code target} now. Returns false, changing nothing, when it is leased or pinned.
     */
    public boolean demote(String id, Tier target) {
        long deadline = System.nanoTime() + config.acquireTimeout().toNanos();
        lock.lock();
        try {
            ExpertEntry<R> e = entry(id);
            while (e.transition != null) {
                awaitTransition(e, deadline, false);
            }
            if (e.tier.compareTo(target) <= 0) {
                return true;
            }
            if (e.leases > 0) {
                return false;
            }
            demoteAll(List.of(e), target);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Demotes hot experts idle for longer than their keep-alive to warm; returns how many. Runs periodically. */
    public int sweepIdle() {
        lock.lock();
        try {
            if (closed) {
                return 0;
            }
            long now = now();
            List<ExpertEntry<R>> expired = new ArrayList<>();
            for (ExpertEntry<R> e : experts.values()) {
                if (e.tier == Tier.HOT && e.idle() && e.keepAlive != null
                        && now - e.lastUseNanos >= e.keepAlive.toNanos()) {
                    expired.add(e);
                }
            }
            if (!expired.isEmpty()) {
                demoteAll(expired, Tier.WARM);
            }
            return expired.size();
        } finally {
            lock.unlock();
        }
    }

    public Tier tierOf(String id) {
        lock.lock();
        try {
            return entry(id).tier;
        } finally {
            lock.unlock();
        }
    }

    public MemorySnapshot snapshot() {
        lock.lock();
        try {
            long now = now();
            Instant wallNow = Instant.now();
            List<ExpertStatus> list = new ArrayList<>();
            for (ExpertEntry<R> e : experts.values()) {
                Instant lastUse = e.lastUseNanos == 0 && e.loads == 0 ? null
                        : wallNow.minusNanos(Math.max(0, now - e.lastUseNanos));
                list.add(new ExpertStatus(e.id, e.path, e.tier, e.fileBytes, e.stateBytes, e.bytesIn(e.tier),
                        e.locked, e.pinned, e.leases, e.transition == null ? null : e.transition.target, lastUse,
                        e.rate.perSecond(now), e.loads, Duration.ofNanos(e.loadNanosTotal), e.keepAlive));
            }
            return new MemorySnapshot(usage(Tier.HOT, hot), usage(Tier.WARM, warm), config.policy().name(),
                    Residency.memlockLimit(), mover.lockingDegraded(), List.copyOf(list));
        } finally {
            lock.unlock();
        }
    }

    public io.micrometer.core.instrument.MeterRegistry meterRegistry() {
        return metrics.registry();
    }

    /**
     * Cancels prefetches, waits (up to the acquire timeout) for open leases, then frees every runtime and unmaps every
     * file. The page cache is left as it is.
     */
    @Override
    public void close() {
        List<ExpertLease<R>> pinLeases;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            pinLeases = new ArrayList<>(pins.values());
            pins.clear();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        pendingPrefetches.forEach(p -> p.cancel(false));
        pinLeases.forEach(ExpertLease::close);
        sweeper.stop();
        prefetchPool.shutdown();
        lock.lock();
        try {
            long deadline = System.nanoTime() + config.acquireTimeout().toNanos();
            while (experts.values().stream().anyMatch(e -> !e.idle()) && System.nanoTime() < deadline) {
                changed.awaitNanos(Math.max(1, deadline - System.nanoTime()));
            }
            for (ExpertEntry<R> e : experts.values()) {
                if (!e.idle()) {
                    LOG.warning("closing the store while expert " + e.id + " is still in use");
                }
                if (e.tier == Tier.HOT) {
                    quietly(e, () -> mover.hotToWarm(e));
                }
                if (e.prepared != null) {
                    quietly(e, e.prepared::close);
                    e.prepared = null;
                }
                if (e.weights != null) {
                    e.weights.close();
                    e.weights = null;
                }
                (e.tier == Tier.HOT ? hot : warm).release(e.bytesIn(e.tier));
                e.tier = Tier.COLD;
            }
            mover.shutdown();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    // ---- called by leases ----

    void release(ExpertEntry<R> e) {
        lock.lock();
        try {
            e.leases--;
            e.lastUseNanos = now();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- internals: everything below runs with the lock held ----

    private void runPrefetch(Prefetch p, ExpertEntry<R> e) {
        Tier target = p.target();
        lock.lock();
        try {
            while (true) {
                if (p.cancelRequested() || closed) {
                    p.fail(new CancellationException("prefetch of " + e.id + " cancelled"));
                    return;
                }
                if (e.transition != null) {
                    awaitTransition(e, System.nanoTime() + config.acquireTimeout().toNanos(), false);
                    continue;
                }
                if (e.tier.compareTo(target) >= 0) {
                    e.lastUseNanos = now();
                    p.complete(e.tier);
                    return;
                }
                MemoryBudget budget = target == Tier.HOT ? hot : warm;
                long bytes = e.bytesIn(target);
                if (budget.tryReserve(bytes)) {
                    Transition t = new Transition(target);
                    p.onCancel(() -> cancelUnlessAwaited(t));
                    promote(e, t);
                } else if (!makeRoom(target, bytes, e)) {
                    p.fail(new ChorusException("no room to prefetch " + e.id + " into the " + target
                            + " tier: it is full of experts in use"));
                    return;
                }
            }
        } catch (RuntimeException | Error x) {
            p.fail(x);
        } finally {
            lock.unlock();
            pendingPrefetches.remove(p);
        }
    }

    private void cancelUnlessAwaited(Transition t) {
        lock.lock();
        try {
            if (t.waiters == 0) {
                t.cancel();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Moves {@code e} up to the transition's target; its bytes are already reserved there. */
    private void promote(ExpertEntry<R> e, Transition t) {
        Tier from = e.tier;
        e.transition = t;
        lock.unlock();
        Throwable failure = null;
        long start = System.nanoTime();
        try {
            if (from == Tier.COLD) {
                mover.coldToWarm(e, t);
            }
            if (t.target == Tier.HOT) {
                mover.warmToHot(e, t);
            }
        } catch (Throwable x) {
            failure = x;
            mover.rollBackToCold(e);
        } finally {
            lock.lock();
        }
        long elapsed = System.nanoTime() - start;
        if (from == Tier.WARM) {
            warm.release(e.fileBytes); // counted in both tiers during the move: over-counting keeps budgets safe
        }
        e.transition = null;
        changed.signalAll();
        if (failure == null) {
            if (t.target == Tier.HOT) {
                mover.startLocking(e);
            }
            e.tier = t.target;
            e.loads++;
            e.loadNanosTotal += elapsed;
            e.lastUseNanos = now();
            t.done.complete(null);
            return;
        }
        (t.target == Tier.HOT ? hot : warm).release(e.bytesIn(t.target));
        e.tier = Tier.COLD;
        t.done.completeExceptionally(failure);
        throw loadFailure(e, failure);
    }

    /**
     * Evicts idle experts from {@code tier} (per the policy) so that {@code needed} bytes fit. Returns false, evicting
     * nothing, when the idle experts together cannot free enough.
     */
    private boolean makeRoom(Tier tier, long needed, ExpertEntry<R> requester) {
        MemoryBudget budget = tier == Tier.HOT ? hot : warm;
        List<ExpertEntry<R>> victims = chooseVictims(tier, needed - budget.free(), requester);
        if (victims == null) {
            return false;
        }
        demoteAll(victims, tier == Tier.HOT ? Tier.WARM : Tier.COLD);
        return true;
    }

    private List<ExpertEntry<R>> chooseVictims(Tier tier, long deficit, ExpertEntry<R> exclude) {
        long now = now();
        Map<String, ExpertEntry<R>> byId = new HashMap<>();
        List<EvictionCandidate> candidates = new ArrayList<>();
        for (ExpertEntry<R> e : experts.values()) {
            if (e.tier == tier && e.idle() && !e.pinned && e != exclude) {
                byId.put(e.id, e);
                candidates.add(new EvictionCandidate(e.id, tier, e.bytesIn(tier), e.lastUseNanos,
                        e.rate.perSecond(now), tier == Tier.HOT ? e.lastWarmToHotNanos : e.lastColdToWarmNanos));
            }
        }
        List<ExpertEntry<R>> victims = new ArrayList<>();
        long freed = 0;
        for (EvictionCandidate c : config.policy().evictionOrder(candidates)) {
            if (freed >= deficit) {
                break;
            }
            victims.add(byId.get(c.id()));
            freed += c.bytes();
        }
        return freed >= deficit && !victims.isEmpty() ? victims : null;
    }

    /**
     * Demotes idle experts (all in {@code HOT} or {@code WARM}) down to {@code target}. Hot experts headed for warm go
     * cold when warm has no room even after evicting idle warm experts.
     */
    private void demoteAll(List<ExpertEntry<R>> victims, Tier target) {
        List<ExpertEntry<R>> fromHot = new ArrayList<>();
        List<ExpertEntry<R>> toCold = new ArrayList<>();
        long warmNeeded = 0;
        for (ExpertEntry<R> v : victims) {
            v.transition = new Transition(target);
            if (v.tier == Tier.HOT) {
                fromHot.add(v);
                warmNeeded += v.fileBytes;
            } else {
                toCold.add(v);
            }
        }
        if (target == Tier.WARM && warmNeeded > warm.free()) {
            List<ExpertEntry<R>> warmVictims = chooseVictims(Tier.WARM, warmNeeded - warm.free(), null);
            if (warmVictims != null) {
                warmVictims.forEach(w -> w.transition = new Transition(Tier.COLD));
                toCold.addAll(warmVictims);
            }
        }
        lock.unlock();
        try {
            fromHot.forEach(v -> quietly(v, () -> mover.hotToWarm(v)));
            toCold.forEach(v -> quietly(v, () -> mover.warmToCold(v)));
        } finally {
            lock.lock();
        }
        List<ExpertEntry<R>> overflow = new ArrayList<>();
        for (ExpertEntry<R> v : toCold) {
            warm.release(v.bytesIn(v.tier));
            finish(v, Tier.COLD);
        }
        for (ExpertEntry<R> v : fromHot) {
            hot.release(v.hotBytes());
            if (target == Tier.WARM && warm.tryReserve(v.fileBytes)) {
                finish(v, Tier.WARM);
            } else {
                overflow.add(v);
            }
        }
        if (!overflow.isEmpty()) {
            overflow.forEach(v -> v.tier = Tier.WARM); // physically warm now, unaccounted until its pages are dropped
            lock.unlock();
            try {
                overflow.forEach(v -> quietly(v, () -> mover.warmToCold(v)));
            } finally {
                lock.lock();
            }
            overflow.forEach(v -> finish(v, Tier.COLD));
        }
        changed.signalAll();
    }

    private void finish(ExpertEntry<R> v, Tier tier) {
        v.tier = tier;
        Transition t = v.transition;
        v.transition = null;
        if (t != null) {
            t.done.complete(null);
        }
    }

    private void quietly(ExpertEntry<R> v, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException x) {
            LOG.warning("demoting expert " + v.id + ": " + x.getMessage());
        }
    }

    /** Waits (lock released) for the expert's in-flight transition. A cancelled prefetch's load is not an error. */
    private void awaitTransition(ExpertEntry<R> e, long deadline, boolean asWaiter) {
        Transition t = e.transition;
        if (asWaiter) {
            t.waiters++;
        }
        lock.unlock();
        try {
            t.done.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (CancellationException x) {
            // a cancelled prefetch's load (nobody was waiting when it was cancelled): the caller loops and retries
        } catch (ExecutionException x) {
            if (!(x.getCause() instanceof CancellationException)) {
                throw loadFailure(e, x.getCause());
            }
        } catch (TimeoutException x) {
            throw new ChorusException("expert " + e.id + " did not finish moving to " + t.target + " in time");
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new ChorusException("interrupted while waiting for expert " + e.id);
        } finally {
            lock.lock();
            if (asWaiter) {
                t.waiters--;
            }
        }
    }

    private void awaitChange(long deadline, ExpertEntry<R> e) {
        long remaining = deadline - System.nanoTime();
        if (remaining <= 0) {
            throw new ChorusException("expert " + e.id + " could not become hot in time: the hot tier ("
                    + ByteSize.format(hot.used()) + " of " + ByteSize.format(hot.capacity())
                    + ") is held by experts in use");
        }
        try {
            changed.awaitNanos(remaining);
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new ChorusException("interrupted while waiting for room for expert " + e.id);
        }
    }

    private RuntimeException loadFailure(ExpertEntry<R> e, Throwable cause) {
        if (cause instanceof CancellationException c) {
            return c;
        }
        if (cause instanceof IOException io) {
            return new UncheckedIOException("loading expert " + e.id + " failed: " + io.getMessage(), io);
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new ChorusException("loading expert " + e.id + " failed: " + cause.getMessage(), cause);
    }

    private ExpertEntry<R> entry(String id) {
        ExpertEntry<R> e = experts.get(id);
        if (e == null) {
            throw new IllegalArgumentException("unknown expert '" + id + "' (registered: " + experts.keySet() + ")");
        }
        return e;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the expert store is closed");
        }
    }

    private long now() {
        return config.clock().getAsLong();
    }

    private static MemorySnapshot.TierUsage usage(Tier tier, MemoryBudget b) {
        return new MemorySnapshot.TierUsage(tier, b.used(), b.capacity(), b.highWater());
    }
}
