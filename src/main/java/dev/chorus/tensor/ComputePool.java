package dev.chorus.tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * A fixed set of compute threads for data-parallel kernels with low per-call overhead: the calling thread works too,
 * workers spin briefly for the next call before parking, and a call allocates nothing. Chunks are claimed dynamically
 * from one atomic ticket that also carries the call's generation and chunk count, so a late worker can never run
 * (or consume) a chunk of another call. One call at a time: a call made while another is running (or from inside a chunk) runs its
 * chunks inline on the calling thread.
 */
public final class ComputePool implements AutoCloseable {
    private static final int SPINS_BEFORE_PARK = 1 << 15;
    private static final long MAX_CHUNKS = (1L << 20) - 1;

    private final Worker[] workers;
    /** generation (24 bits) | chunks (20 bits) | next chunk index (20 bits). */
    private final AtomicLong ticket = new AtomicLong();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger busy = new AtomicInteger();
    private volatile IntConsumer body;
    private volatile int generation;
    private volatile boolean closed;

    /** A pool of {@code threads} threads in all: the caller plus threads-1 workers. */
    public ComputePool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be at least 1, got " + threads);
        }
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker();
            Thread t = Thread.ofPlatform().daemon().name("chorus-compute-" + (i + 1)).unstarted(workers[i]);
            workers[i].thread = t;
            t.start();
        }
    }

    /** Threads taking part in a call, the caller included. */
    public int threads() {
        return workers.length + 1;
    }

    /** Runs body.accept(i) for every i in [0, chunks), spread over the pool; returns when all are done. */
    public void parallelFor(int chunks, IntConsumer body) {
        if (chunks <= 0) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("compute pool is closed");
        }
        if (workers.length == 0 || chunks == 1 || chunks > MAX_CHUNKS || !busy.compareAndSet(0, 1)) {
            for (int i = 0; i < chunks; i++) {
                body.accept(i);
            }
            return;
        }
        try {
            int gen = (generation + 1) & 0xffffff;
            this.body = body;
            failure.set(null);
            done.set(0);
            ticket.set(((long) gen << 40) | ((long) chunks << 20));
            generation = gen;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w.thread);
                }
            }
            runChunks(gen);
            int spins = 0;
            while (done.get() != chunks) {
                if (++spins < 1 << 12) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Throwable f = failure.get();
            if (f != null) {
                failure.set(null);
                if (f instanceof RuntimeException re) {
                    throw re;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(f);
            }
        } finally {
            this.body = null;
            busy.set(0);
        }
    }

    /** Claims and runs chunks of generation gen until none are left. */
    private void runChunks(int gen) {
        while (true) {
            // compare-and-set, not getAndIncrement: a late worker still holding an old generation must not consume
            // an index of the current one
            long t = ticket.get();
            int index = (int) (t & 0xfffff);
            int chunks = (int) ((t >>> 20) & 0xfffff);
            if ((int) (t >>> 40) != gen || index >= chunks) {
                return;
            }
            if (!ticket.compareAndSet(t, t + 1)) {
                continue;
            }
            try {
                body.accept(index);
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            } finally {
                done.incrementAndGet();
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
        for (Worker w : workers) {
            try {
                w.thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Worker implements Runnable {
        Thread thread;
        volatile boolean parked;

        @Override
        public void run() {
            int seen = generation;
            while (!closed) {
                int spins = 0;
                int g;
                while ((g = generation) == seen && !closed) {
                    if (++spins < SPINS_BEFORE_PARK) {
                        Thread.onSpinWait();
                    } else {
                        parked = true;
                        if (generation == seen && !closed) {
                            LockSupport.park(this);
                        }
                        parked = false;
                        spins = 0;
                    }
                }
                seen = g;
                if (!closed) {
                    runChunks(g);
                }
            }
        }
    }
}
