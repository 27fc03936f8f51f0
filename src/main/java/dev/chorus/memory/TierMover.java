package dev.chorus.memory;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * The physical side of tier transitions: reading files into the page cache, locking, building and freeing runtimes,
 * dropping pages. Runs outside the store lock, on an entry owned by the calling thread's transition. Each step is
 * timed into {@link TierMetrics}.
 */
final class TierMover<R extends ExpertRuntime> {
    private static final Logger LOG = Logger.getLogger(TierMover.class.getName());
    /** Chunk of file read per populate call: small enough to cancel promptly, large enough to keep the disk busy. */
    private static final long CHUNK = 16L << 20;

    private final ExpertRuntimeFactory<R> factory;
    private final PageLocker locker;
    private final TierMetrics metrics;
    private final AtomicReference<String> lockingDegraded = new AtomicReference<>();
    private final java.util.concurrent.ExecutorService lockThread = DaemonThreads.fixedPool("chorus-mlock", 1);

    TierMover(ExpertRuntimeFactory<R> factory, PageLocker locker, TierMetrics metrics) {
        this.factory = factory;
        this.locker = locker;
        this.metrics = metrics;
    }

    /** Why hot experts are not locked, or null while locking works. */
    String lockingDegraded() {
        return lockingDegraded.get();
    }

    /**
     * cold -> warm: map the file and read it into the page cache sequentially (MADV_SEQUENTIAL + WILLNEED start deep
     * read-ahead; MADV_POPULATE_READ per chunk waits for the bytes and fills the page tables; cancellable per chunk),
     * then let the factory bind the weights (parse the model) so that warm -> hot only allocates runtime state.
     */
    void coldToWarm(ExpertEntry<R> e, Transition t) throws IOException {
        long start = System.nanoTime();
        GgufFile file = GgufFile.open(e.path);
        try {
            MemorySegment mapping = file.mapping();
            Residency.sequential(mapping);
            Residency.willNeed(mapping);
            for (long off = 0; off < mapping.byteSize(); off += CHUNK) {
                t.throwIfCancelled();
                Residency.populate(mapping.asSlice(off, Math.min(CHUNK, mapping.byteSize() - off)));
            }
            e.prepared = factory.prepare(file);
        } catch (IOException | RuntimeException | Error x) {
            file.close();
            throw x;
        }
        e.weights = file;
        e.lastColdToWarmNanos = metrics.record(TierMetrics.COLD_TO_WARM, start);
    }

    /**
     * warm -> hot: make sure the weights are resident (a mincore check, about 1 ms for 140 MB; MADV_POPULATE_READ only
     * if the OS reclaimed warm pages, since it walks every page even when all are there) and start the runtime. Locking follows in the background
     * ({@link #startLocking}): a request does not need the lock to run, only protection from later reclaim, and mlock
     * of an already resident 140 MB file costs milliseconds the request need not wait for.
     */
    void warmToHot(ExpertEntry<R> e, Transition t) throws IOException {
        t.throwIfCancelled();
        long start = System.nanoTime();
        MemorySegment mapping = e.weights.mapping();
        if (!Residency.isFullyResident(mapping)) {
            Residency.populate(mapping); // the OS reclaimed some warm pages: read them back before serving
        }
        R runtime = e.prepared.start();
        if (runtime.stateBytes() > e.stateBytes) {
            runtime.close();
            throw new ChorusException("expert " + e.id + ": runtime allocated " + runtime.stateBytes()
                    + " bytes but its factory declared " + e.stateBytes + " (the hot budget would be exceeded)");
        }
        if (t.isCancelled()) {
            runtime.close();
            t.throwIfCancelled();
        }
        e.runtime = runtime;
        e.lastWarmToHotNanos = metrics.record(TierMetrics.WARM_TO_HOT, start);
    }

    /** Locks a newly hot expert's weights on the lock thread (or degrades to resident-only, once, with a warning). */
    void startLocking(ExpertEntry<R> e) {
        MemorySegment mapping = e.weights.mapping();
        try {
            e.locking = java.util.concurrent.CompletableFuture.runAsync(() -> {
                long start = System.nanoTime();
                e.locked = tryLock(mapping);
                metrics.record(TierMetrics.LOCK, start);
            }, lockThread);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            e.locking = null; // the store is closing: the expert is about to be unmapped anyway
        }
    }

    void shutdown() {
        lockThread.shutdown();
    }

    /** hot -> warm: free the runtime state and unlock; the pages stay mapped and cached. */
    void hotToWarm(ExpertEntry<R> e) {
        long start = System.nanoTime();
        R runtime = e.runtime;
        e.runtime = null;
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            awaitLocking(e);
            unlockQuietly(e);
            metrics.record(TierMetrics.HOT_TO_WARM, start);
        }
    }

    /** warm -> cold: unmap (DONTNEED skips mapped pages), then drop the file's pages from the page cache. */
    void warmToCold(ExpertEntry<R> e) {
        long start = System.nanoTime();
        ExpertRuntimeFactory.PreparedExpert<R> prepared = e.prepared;
        e.prepared = null;
        if (prepared != null) {
            prepared.close();
        }
        GgufFile file = e.weights;
        e.weights = null;
        if (file != null) {
            file.close();
        }
        try {
            Residency.adviseFile(e.path, Residency.FileAdvice.DONTNEED);
            double left = Residency.residentFraction(e.path); // mincore: did the pages really leave?
            if (left > 0.05) {
                metrics.incompleteDrop();
                LOG.warning("expert " + e.id + ": " + Math.round(left * 100) + "% of " + e.path
                        + " stayed in the page cache after DONTNEED (mapped by another process?)");
            }
        } catch (IOException x) {
            throw new UncheckedIOException("dropping " + e.path + " from the page cache failed", x);
        } finally {
            metrics.record(TierMetrics.WARM_TO_COLD, start);
        }
    }

    /** Undoes whatever a failed or cancelled promotion left behind; never throws. */
    void rollBackToCold(ExpertEntry<R> e) {
        try {
            if (e.runtime != null || e.locked || e.locking != null) {
                hotToWarm(e);
            }
        } catch (RuntimeException x) {
            LOG.warning("expert " + e.id + ": freeing the runtime after a failed load failed: " + x.getMessage());
        }
        try {
            if (e.weights != null || e.prepared != null) {
                warmToCold(e);
            }
        } catch (RuntimeException x) {
            LOG.warning("expert " + e.id + ": dropping pages after a failed load failed: " + x.getMessage());
        }
    }

    private static void awaitLocking(ExpertEntry<?> e) {
        java.util.concurrent.CompletableFuture<Void> locking = e.locking;
        e.locking = null;
        if (locking != null) {
            try {
                locking.join();
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException x) {
                LOG.warning("expert " + e.id + ": locking failed: " + x.getMessage());
            }
        }
    }

    private boolean tryLock(MemorySegment mapping) {
        if (lockingDegraded.get() == null) {
            try {
                locker.lock(mapping);
                return true;
            } catch (NativeCallException x) {
                if (!x.isLimitOrPermission()) {
                    throw x;
                }
                long limit = Residency.memlockLimit();
                String reason = "mlock refused (" + x.getMessage() + "; RLIMIT_MEMLOCK "
                        + (limit < 0 ? "unlimited" : ByteSize.format(limit))
                        + "): hot experts are resident but not locked; raise the limit with `ulimit -l`";
                if (lockingDegraded.compareAndSet(null, reason)) {
                    LOG.warning(reason);
                }
            }
        }
        Residency.populate(mapping);
        return false;
    }

    private void unlockQuietly(ExpertEntry<R> e) {
        if (e.locked && e.weights != null) {
            e.locked = false;
            try {
                locker.unlock(e.weights.mapping());
            } catch (RuntimeException x) {
                LOG.warning("expert " + e.id + ": munlock failed: " + x.getMessage());
            }
        }
        e.locked = false;
    }
}
