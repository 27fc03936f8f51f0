package dev.chorus.serve.schedule;

import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.ForwardingTokenSink;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a request on a remote expert with retries and fallback. A call that fails before its first event (refused
 * connection, timeout, HTTP error) is retried with exponential backoff; when every attempt failed the request is
 * prepared for the fallback expert and queued again (to the scheduler), so the client still gets an answer. A call
 * that fails mid-answer cannot be replayed without repeating text, and fails. The next expert is the next-best one
 * for the request's category ({@link NextBestExpert}); the answer then says which expert answered and which failed.
 */
public final class RemoteCalls {
    private final int retries;
    private final Duration backoff;
    private final RemoteHealth health;
    private final Function<GenerationJob, ExpertBackend> fallbackFor;
    private final Consumer<GenerationJob> resubmit;

    /**
     * @param fallbackFor the next expert to try for a job whose expert failed (null when there is none)
     * @param resubmit    queues a job (the scheduler's submit)
     */
    public RemoteCalls(int retries, Duration backoff, RemoteHealth health,
                       Function<GenerationJob, ExpertBackend> fallbackFor, Consumer<GenerationJob> resubmit) {
        this.retries = retries;
        this.backoff = backoff;
        this.health = health;
        this.fallbackFor = fallbackFor;
        this.resubmit = resubmit;
    }

    public RemoteHealth health() {
        return health;
    }

    public void run(GenerationJob job) {
        String id = job.expert().id();
        Throwable last = null;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (job.cancel().isCancelled()) {
                job.sink().finished(FinishReason.CANCELLED);
                return;
            }
            AttemptSink sink = new AttemptSink(job.sink(), health, id);
            try {
                job.expert().generate(job.prompt(), job.request(), sink, job.cancel());
            } catch (Throwable t) {
                sink.failed(t);
            }
            if (sink.failedBeforeStart == null) {
                return; // the sink recorded the outcome in the health before the client saw it
            }
            last = sink.failedBeforeStart;
            health.failure(id, last);
            if (attempt < retries && !sleep(attempt, job)) {
                break;
            }
        }
        if (job.cancel().isCancelled()) {
            job.sink().finished(FinishReason.CANCELLED);
            return;
        }
        fallBack(job, last);
    }

    private void fallBack(GenerationJob job, Throwable cause) {
        ExpertBackend fallback = fallbackFor.apply(job);
        if (fallback == null || fallback.id().equals(job.expert().id()) || job.failed().contains(fallback.id())) {
            job.sink().failed(cause);
            return;
        }
        try {
            PreparedPrompt prompt = fallback.prepare(job.request().input());
            List<String> failed = new ArrayList<>(job.failed());
            failed.add(job.expert().id());
            // A second failover replaces the first one's wrapper, so the client hears of the whole chain once.
            TokenSink client = job.sink() instanceof FailoverSink f ? f.client() : job.sink();
            TokenSink sink = new FailoverSink(client, new ServedFrom.Failover(fallback.id(), failed));
            resubmit.accept(new GenerationJob(fallback, prompt, job.request(), sink, job.cancel(),
                    job.enqueuedNanos(), job.category(), failed));
        } catch (RuntimeException e) {
            e.addSuppressed(cause);
            job.sink().failed(e);
        }
    }

    /** Backoff before the next attempt: base x 2^attempt with +-20% jitter; false when interrupted. */
    private boolean sleep(int attempt, GenerationJob job) {
        long base = backoff.toMillis() << Math.min(attempt, 10);
        long millis = (long) (base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        try {
            long end = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < end && !job.cancel().isCancelled()) {
                Thread.sleep(Math.min(20, Math.max(1, end - System.currentTimeMillis())));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Passes events through, except a failure before the first event, which is kept for a retry. The outcome of a
     * started answer goes into the health before the final event reaches the client, so whoever sees the answer also
     * sees the health it produced.
     */
    private static final class AttemptSink extends ForwardingTokenSink {
        private final RemoteHealth health;
        private final String id;
        boolean started;
        Throwable failedBeforeStart;

        AttemptSink(TokenSink target, RemoteHealth health, String id) {
            super(target);
            this.health = health;
            this.id = id;
        }

        @Override
        public void started(ServedFrom servedFrom) {
            started = true;
            target.started(servedFrom);
        }

        @Override
        public void finished(FinishReason reason) {
            if (started) {
                health.success(id);
            }
            target.finished(reason);
        }

        @Override
        public void failed(Throwable error) {
            if (started) {
                health.failure(id, error);
                target.failed(error);
            } else {
                failedBeforeStart = error;
            }
        }
    }

    /** Tells the client which expert answered after a failover, and which failed before it. */
    private static final class FailoverSink extends ForwardingTokenSink {
        private final ServedFrom.Failover failover;

        FailoverSink(TokenSink target, ServedFrom.Failover failover) {
            super(target);
            this.failover = failover;
        }

        /** The client's own sink, under this wrapper. */
        TokenSink client() {
            return target;
        }

        @Override
        public void started(ServedFrom servedFrom) {
            target.started(servedFrom.withFailover(failover));
        }
    }
}
