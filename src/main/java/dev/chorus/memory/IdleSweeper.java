package dev.chorus.memory;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/** Runs the keep-alive sweep periodically, often enough for the shortest keep-alive seen (at most every second). */
final class IdleSweeper {
    private static final Logger LOG = Logger.getLogger(IdleSweeper.class.getName());
    private static final long MAX_PERIOD_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long MIN_PERIOD_NANOS = Duration.ofMillis(10).toNanos();

    private final IntSupplier sweep;
    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> task;
    private long periodNanos = Long.MAX_VALUE;
    private boolean stopped;

    IdleSweeper(IntSupplier sweep) {
        this.sweep = sweep;
    }

    synchronized void start(Duration keepAlive) {
        long period = Math.clamp(keepAlive.toNanos() / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
        if (stopped || period >= periodNanos) {
            return;
        }
        if (scheduler == null) {
            scheduler = DaemonThreads.scheduler("chorus-keepalive");
        }
        if (task != null) {
            task.cancel(false);
        }
        periodNanos = period;
        task = scheduler.scheduleWithFixedDelay(this::runOnce, period, period, TimeUnit.NANOSECONDS);
    }

    private void runOnce() {
        try {
            sweep.getAsInt();
        } catch (RuntimeException e) {
            LOG.warning("keep-alive sweep failed: " + e.getMessage());
        }
    }

    synchronized void stop() {
        stopped = true;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
