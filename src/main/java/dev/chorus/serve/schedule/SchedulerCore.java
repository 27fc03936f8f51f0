package dev.chorus.serve.schedule;

import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.QueueFullException;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The compute lane of the batching scheduler, without threads of its own: bounded per-expert queues, the policy's
 * choice of expert, and one batch per expert that requests join and leave between steps. {@link #serveOnce()} serves
 * one expert until its batch drains; the scheduler's thread calls it in a loop, tests call it directly with a fake
 * clock and a fake {@link ExpertRun.Opener}.
 */
public final class SchedulerCore {
    private final SchedulingPolicy policy;
    private final ExpertRun.Opener opener;
    private final LongSupplier clock;
    private final int maxBatch;
    private final int maxQueuePerExpert;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workArrived = lock.newCondition();
    private final ExpertQueues queues = new ExpertQueues();
    private volatile Prefetcher prefetcher = Prefetcher.NONE;
    private String current;
    private volatile int running;
    private volatile boolean stopping;
    private final AtomicLong switches = new AtomicLong();
    private final AtomicLong steps = new AtomicLong();
    /** Mean service time of recent runs (exponentially weighted), for Retry-After. */
    private final AtomicLong meanRunNanos = new AtomicLong(TimeUnit.SECONDS.toNanos(1));

    public SchedulerCore(SchedulingPolicy policy, ExpertRun.Opener opener, LongSupplier clock, int maxBatch,
                         int maxQueuePerExpert) {
        if (maxBatch < 1 || maxQueuePerExpert < 1) {
            throw new IllegalArgumentException("batch size and queue bound must be at least 1");
        }
        this.policy = policy;
        this.opener = opener;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.maxQueuePerExpert = maxQueuePerExpert;
    }

    /** Receives a hint after every step: which experts wait, so it can load them ahead of their turn. */
    public interface Prefetcher {
        Prefetcher NONE = (current, queues) -> { };

        void hint(String current, QueueView queues);
    }

    public void setPrefetcher(Prefetcher p) {
        this.prefetcher = p;
    }

    public SchedulingPolicy policy() {
        return policy;
    }

    /** Queues the job; throws {@link QueueFullException} beyond the bound. A cancelled waiting job leaves at once. */
    public void enqueue(GenerationJob job) {
        String id = job.expert().id();
        lock.lock();
        try {
            int size = queues.size(id);
            if (size >= maxQueuePerExpert) {
                double seconds = (size + 1.0) / maxBatch * meanRunNanos.get() / 1e9;
                throw new QueueFullException(id, maxQueuePerExpert, (int) Math.max(1, Math.min(60, Math.ceil(seconds))));
            }
            queues.add(job);
            workArrived.signalAll();
        } finally {
            lock.unlock();
        }
        job.cancel().onCancel(() -> {
            boolean removed;
            lock.lock();
            try {
                removed = queues.remove(job);
            } finally {
                lock.unlock();
            }
            if (removed) {
                job.sink().finished(FinishReason.CANCELLED);
            }
        });
    }

    /**
     * Serves the expert the policy picks until its batch drains: joins waiting requests between steps while the
     * policy allows. Returns false when nothing was waiting.
     */
    public boolean serveOnce() {
        GenerationJob first;
        String expert;
        lock.lock();
        try {
            expert = policy.next(current, queues, clock.getAsLong());
            if (expert == null) {
                return false;
            }
            first = queues.poll(expert);
        } finally {
            lock.unlock();
        }
        if (!expert.equals(current)) {
            switches.incrementAndGet();
        }
        current = expert;
        long start = System.nanoTime();
        long servingSince = clock.getAsLong();
        ExpertRun run;
        try {
            run = opener.open(first.expert());
        } catch (Throwable t) {
            first.sink().failed(t);
            return true;
        }
        try (run) {
            run.join(first);
            running = run.active();
            fillFromQueue(run, expert, servingSince);
            while (run.active() > 0 && !stopping) {
                try {
                    run.step();
                } catch (Throwable t) {
                    run.failAll(t);
                    break;
                }
                steps.incrementAndGet();
                hintPrefetcher(expert);
                fillFromQueue(run, expert, servingSince);
                running = run.active();
            }
        } finally {
            running = 0;
            long took = System.nanoTime() - start;
            meanRunNanos.updateAndGet(m -> (m * 7 + took) / 8);
        }
        return true;
    }

    private void hintPrefetcher(String expert) {
        lock.lock();
        try {
            prefetcher.hint(expert, queues);
        } finally {
            lock.unlock();
        }
    }

    /** Joins waiting requests of the running expert while there is room and the policy allows. */
    private void fillFromQueue(ExpertRun run, String expert, long servingSince) {
        while (run.active() < maxBatch) {
            GenerationJob job;
            lock.lock();
            try {
                if (!policy.mayJoin(expert, queues, clock.getAsLong(), servingSince)) {
                    return;
                }
                job = queues.poll(expert);
            } finally {
                lock.unlock();
            }
            if (job == null) {
                return;
            }
            run.join(job);
        }
    }

    /** Waits until something is queued or the timeout passes. */
    void awaitWork(long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            if (queues.waitingExperts().isEmpty()) {
                workArrived.awaitNanos(timeoutNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    void wakeUp() {
        lock.lock();
        try {
            workArrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops the running batch at its next step (closing); its sequences finish as cancelled. */
    void cancelRunning() {
        stopping = true;
    }

    /** Removes every waiting job (closing). */
    List<GenerationJob> drain() {
        lock.lock();
        try {
            return queues.drain();
        } finally {
            lock.unlock();
        }
    }

    public int queued(String expertId) {
        lock.lock();
        try {
            return queues.size(expertId);
        } finally {
            lock.unlock();
        }
    }

    public int running() {
        return running;
    }

    /** Times the lane moved to a different expert than the one it served last. */
    public long switches() {
        return switches.get();
    }

    /** Forward passes run. */
    public long steps() {
        return steps.get();
    }

    /** Helper for callers: true when the job's expert is served by this lane (not a pass-through remote). */
    static boolean batchable(ExpertBackend e) {
        return "local".equals(e.kind());
    }
}
