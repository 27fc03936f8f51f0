package dev.chorus.serve;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * First come, first served over a fixed pool of generation threads, with a bounded waiting count per expert.
 * Each thread runs one request at a time from start to end (no batching, no switch awareness): the baseline the
 * scheduler issue improves on, and the default until then.
 */
public final class FifoScheduler implements RequestScheduler {
    private final int maxQueuePerExpert;
    private final int threads;
    private final ExecutorService pool;
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final AtomicInteger running = new AtomicInteger();
    /** Every job not yet finished, so that closing can cancel them all. */
    private final Set<CancellationToken> unfinished = ConcurrentHashMap.newKeySet();
    /** Mean run time of recent jobs (exponentially weighted), for Retry-After. */
    private final AtomicLong meanRunNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1));

    public FifoScheduler(int threads, int maxQueuePerExpert) {
        if (threads < 1 || maxQueuePerExpert < 1) {
            throw new IllegalArgumentException("threads and queue bound must be at least 1");
        }
        this.threads = threads;
        this.maxQueuePerExpert = maxQueuePerExpert;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "chorus-gen-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void submit(GenerationJob job) {
        String id = job.expert().id();
        AtomicInteger count = waiting.computeIfAbsent(id, k -> new AtomicInteger());
        int now = count.incrementAndGet();
        if (now > maxQueuePerExpert) {
            count.decrementAndGet();
            throw new QueueFullException(id, maxQueuePerExpert, retryAfterSeconds(now));
        }
        unfinished.add(job.cancel());
        try {
            pool.execute(() -> run(job, count));
        } catch (RuntimeException e) {
            count.decrementAndGet();
            unfinished.remove(job.cancel());
            throw e;
        }
    }

    private void run(GenerationJob job, AtomicInteger count) {
        count.decrementAndGet();
        try {
            runUnlessCancelled(job);
        } finally {
            unfinished.remove(job.cancel());
        }
    }

    private void runUnlessCancelled(GenerationJob job) {
        if (job.cancel().isCancelled()) {
            job.sink().finished(FinishReason.CANCELLED);
            return;
        }
        running.incrementAndGet();
        long start = System.nanoTime();
        try {
            job.expert().generate(job.prompt(), job.request(), job.sink(), job.cancel());
        } catch (Throwable t) {
            job.sink().failed(t);
        } finally {
            running.decrementAndGet();
            long took = System.nanoTime() - start;
            meanRunNanos.updateAndGet(m -> (m * 7 + took) / 8);
        }
    }

    private int retryAfterSeconds(int queued) {
        double seconds = queued * (meanRunNanos.get() / 1e9) / threads;
        return (int) Math.max(1, Math.min(60, Math.ceil(seconds)));
    }

    @Override
    public int queued(String expertId) {
        AtomicInteger c = waiting.get(expertId);
        return c == null ? 0 : c.get();
    }

    @Override
    public int running() {
        return running.get();
    }

    /** Cancels every queued and running job (they finish at their next token), then stops the threads. */
    @Override
    public void close() {
        unfinished.forEach(CancellationToken::cancel);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
