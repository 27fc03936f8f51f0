package dev.chorus.serve.http;

import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;
import io.micrometer.core.instrument.Counter;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link TokenSink} that never blocks the generating thread: events are queued with their time and the HTTP
 * thread takes them off to write the response at its own pace. For a whole (non-streamed) answer the events are
 * held back until the end, so the waiting HTTP thread wakes once instead of once per token: on a busy machine each
 * wake-up competes with generation for a core.
 */
final class EventBuffer implements TokenSink {
    sealed interface Event {
        long nanos();
    }

    record Started(ServedFrom servedFrom, long nanos) implements Event {
    }

    record Token(GeneratedToken token, long nanos) implements Event {
    }

    record Finished(FinishReason reason, long nanos) implements Event {
    }

    record Failed(Throwable error, long nanos) implements Event {
    }

    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final boolean wakePerEvent;
    /** Events held back until the end when not streaming; touched only by the generating thread. */
    private final List<Event> held = new ArrayList<>();

    /** The generated and cancelled counters of one expert. */
    record ExpertCounters(Counter generated, Counter cancelled) {
    }

    private final Function<String, ExpertCounters> countersOf;
    /** The answering expert's counters: the routed one's until a failover names another. */
    private ExpertCounters counters;

    /**
     * @param expert     the expert the request was sent to
     * @param countersOf an expert's counters, which count on the generating thread as events happen
     */
    EventBuffer(boolean streaming, String expert, Function<String, ExpertCounters> countersOf) {
        this.wakePerEvent = streaming;
        this.countersOf = countersOf;
        this.counters = countersOf.apply(expert);
    }

    private volatile ServedFrom servedFrom;

    @Override
    public void started(ServedFrom servedFrom) {
        this.servedFrom = servedFrom;
        if (servedFrom.failover() != null) {
            counters = countersOf.apply(servedFrom.failover().expert());
        }
        add(new Started(servedFrom, System.nanoTime()));
    }

    /** How the answer was served, null until it started. */
    ServedFrom servedFrom() {
        return servedFrom;
    }

    @Override
    public void token(GeneratedToken token) {
        if (token.id() >= 0) {
            counters.generated().increment();
        }
        add(new Token(token, System.nanoTime()));
    }

    @Override
    public void finished(FinishReason reason) {
        if (reason == FinishReason.CANCELLED) {
            counters.cancelled().increment();
        }
        end(new Finished(reason, System.nanoTime()));
    }

    @Override
    public void failed(Throwable error) {
        end(new Failed(error, System.nanoTime()));
    }

    private void add(Event e) {
        if (wakePerEvent) {
            events.add(e);
        } else {
            held.add(e);
        }
    }

    private void end(Event e) {
        held.add(e);
        events.addAll(held);
        held.clear();
    }

    /** The next event, or null after {@code timeoutMillis}. */
    Event poll(long timeoutMillis) throws InterruptedException {
        return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
