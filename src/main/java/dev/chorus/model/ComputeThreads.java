package dev.chorus.model;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed set of compute threads for data-parallel loops. {@link #parallelFor} splits [0, n) into one contiguous
 * chunk per thread; the calling thread runs chunk 0. Workers spin briefly between tasks (a decode step issues hundreds
 * of small loops) and park when idle, so an idle model costs no CPU. Not re-entrant; one caller at a time.
 */
public final class ComputeThreads implements AutoCloseable {
    /** The work of one chunk: worker index and the half-open range [from, to). */
    @FunctionalInterface
    public interface Body {
        void run(int worker, int from, int to);
    }

    private static final long SPIN_NANOS = 200_000;

    private final int threads;
    private final Worker[] workers;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile long epoch;
    private volatile boolean closed;
    private Body body;
    private int count;
    private volatile Throwable failure;

    public ComputeThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].thread.start();
        }
    }

    public int threads() {
        return threads;
    }

    /** Runs body over [0, n) split across all threads and returns when every chunk is done. */
    public synchronized void parallelFor(int n, Body body) {
        if (n <= 0) {
            return;
        }
        if (threads == 1 || n == 1) {
            body.run(0, 0, n);
            return;
        }
        this.body = body;
        this.count = n;
        this.failure = null;
        pending.set(workers.length);
        epoch++;
        for (Worker w : workers) {
            if (w.sleeping) {
                LockSupport.unpark(w.thread);
            }
        }
        Throwable own = null;
        try {
            runChunk(0);
        } catch (Throwable t) {
            own = t;
        }
        while (pending.get() != 0) {
            Thread.onSpinWait();
        }
        this.body = null;
        Throwable t = own != null ? own : failure;
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error e) {
            throw e;
        } else if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    private void runChunk(int index) {
        int from = (int) ((long) count * index / threads);
        int to = (int) ((long) count * (index + 1) / threads);
        if (from < to) {
            body.run(index, from, to);
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    private final class Worker implements Runnable {
        final int index;
        final Thread thread;
        volatile boolean sleeping;

        Worker(int index) {
            this.index = index;
            this.thread = Thread.ofPlatform().daemon().name("chorus-compute-" + index).unstarted(this);
        }

        @Override
        public void run() {
            long seen = 0;
            while (!closed) {
                long start = System.nanoTime();
                while (epoch == seen && !closed) {
                    if (System.nanoTime() - start < SPIN_NANOS) {
                        Thread.onSpinWait();
                    } else {
                        sleeping = true;
                        if (epoch == seen && !closed) {
                            LockSupport.park(this);
                        }
                        sleeping = false;
                    }
                }
                if (closed) {
                    return;
                }
                seen = epoch;
                try {
                    runChunk(index);
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    pending.decrementAndGet();
                }
            }
        }
    }
}
