package dev.chorus.serve.remote;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Cuts off a stream that stays silent longer than its read timeout. The JDK HttpClient's request timeout ends when the
 * headers arrive; a body read can block forever on a remote that stalls mid-answer. One shared daemon thread checks
 * every watched stream a few times per timeout and runs its {@code onStall} action (closing the stream, which ends the
 * blocked read with an IOException).
 */
final class StallWatch implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = timer();

    private final long timeoutNanos;
    private final Runnable onStall;
    private final ScheduledFuture<?> check;
    private volatile long lastActivity = System.nanoTime();
    private volatile boolean stalled;

    private StallWatch(Duration timeout, Runnable onStall) {
        this.timeoutNanos = timeout.toNanos();
        this.onStall = onStall;
        long period = Math.max(TimeUnit.MILLISECONDS.toNanos(5), timeoutNanos / 4);
        this.check = TIMER.scheduleWithFixedDelay(this::check, period, period, TimeUnit.NANOSECONDS);
    }

    static StallWatch start(Duration timeout, Runnable onStall) {
        return new StallWatch(timeout, onStall);
    }

    /** Something arrived: the silence starts again. */
    void alive() {
        lastActivity = System.nanoTime();
    }

    /** Whether the stream was cut off for silence. */
    boolean stalled() {
        return stalled;
    }

    private void check() {
        if (!stalled && System.nanoTime() - lastActivity > timeoutNanos) {
            stalled = true;   // runs once: the owner's close() cancels the check
            onStall.run();
        }
    }

    @Override
    public void close() {
        check.cancel(false);
    }

    private static ScheduledExecutorService timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "chorus-remote-stall-watch");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
