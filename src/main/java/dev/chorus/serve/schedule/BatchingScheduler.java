package dev.chorus.serve.schedule;

import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.QueueFullException;
import dev.chorus.serve.RequestScheduler;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scheduler of the scheduler issue: local experts share one compute lane ({@link SchedulerCore}: per-expert
 * bounded queues, a {@link SchedulingPolicy} choosing the expert, continuous batching on it, prefetch of the experts
 * that wait), while remote experts, which use no local compute, run each request on its own virtual thread under the
 * same per-expert bound.
 */
public final class BatchingScheduler implements RequestScheduler {
    private final SchedulerCore core;
    private final int maxQueuePerExpert;
    private final Thread lane;
    private final ExecutorService remotePool = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, AtomicInteger> remoteInFlight = new ConcurrentHashMap<>();
    private final AtomicInteger remoteRunning = new AtomicInteger();
    private final Set<CancellationToken> unfinishedRemote = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile RemoteCalls remoteCalls;

    public BatchingScheduler(SchedulerCore core, int maxQueuePerExpert) {
        this.core = core;
        this.remoteCalls = new RemoteCalls(0, java.time.Duration.ZERO, new RemoteHealth(), job -> null, this::submit);
        this.maxQueuePerExpert = maxQueuePerExpert;
        this.lane = Thread.ofPlatform().daemon().name("chorus-" + core.policy().name() + "-lane").start(this::loop);
    }

    /**
     * Retries and fallback for remote experts: {@code retries} attempts after the first, exponential backoff from
     * {@code backoff}, then the request goes to {@code fallbackFor(job)} (e.g. {@link NextBestExpert}) through this
     * scheduler.
     */
    public void configureRemote(int retries, java.time.Duration backoff, RemoteHealth health,
                                java.util.function.Function<GenerationJob, dev.chorus.serve.ExpertBackend> fallbackFor) {
        this.remoteCalls = new RemoteCalls(retries, backoff, health, fallbackFor, this::submit);
    }

    public RemoteHealth remoteHealth() {
        return remoteCalls.health();
    }

    public SchedulerCore core() {
        return core;
    }

    private void loop() {
        while (!closed) {
            try {
                if (!core.serveOnce()) {
                    core.awaitWork(TimeUnit.MILLISECONDS.toNanos(200));
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                System.err.println("chorus: scheduler lane: " + t);
            }
        }
    }

    @Override
    public void submit(GenerationJob job) {
        if (closed) {
            job.sink().finished(FinishReason.CANCELLED);
            return;
        }
        if (SchedulerCore.batchable(job.expert())) {
            core.enqueue(job);
        } else {
            submitRemote(job);
        }
    }

    private void submitRemote(GenerationJob job) {
        String id = job.expert().id();
        AtomicInteger count = remoteInFlight.computeIfAbsent(id, k -> new AtomicInteger());
        if (count.incrementAndGet() > maxQueuePerExpert) {
            count.decrementAndGet();
            throw new QueueFullException(id, maxQueuePerExpert, 1);
        }
        unfinishedRemote.add(job.cancel());
        remotePool.execute(() -> {
            remoteRunning.incrementAndGet();
            try {
                remoteCalls.run(job);
            } catch (Throwable t) {
                job.sink().failed(t);
            } finally {
                remoteRunning.decrementAndGet();
                count.decrementAndGet();
                unfinishedRemote.remove(job.cancel());
            }
        });
    }

    @Override
    public int queued(String expertId) {
        return core.queued(expertId);
    }

    @Override
    public int running() {
        return core.running() + remoteRunning.get();
    }

    /** Cancels waiting and running requests (running ones leave at their next step) and stops the lane. */
    @Override
    public void close() {
        closed = true;
        for (GenerationJob job : core.drain()) {
            job.cancel().cancel();
            job.sink().finished(FinishReason.CANCELLED);
        }
        core.cancelRunning();
        unfinishedRemote.forEach(CancellationToken::cancel);
        core.wakeUp();
        try {
            lane.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        remotePool.shutdown();
    }
}
