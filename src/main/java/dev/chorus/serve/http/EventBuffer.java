package dev.chorus.serve.http;

import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TokenSink} that never blocks the generating thread: events are queued with their time and the HTTP
 * thread takes them off to write the response at its own pace.
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

    @Override
    public void started(ServedFrom servedFrom) {
        events.add(new Started(servedFrom, System.nanoTime()));
    }

    @Override
    public void token(GeneratedToken token) {
        events.add(new Token(token, System.nanoTime()));
    }

    @Override
    public void finished(FinishReason reason) {
        events.add(new Finished(reason, System.nanoTime()));
    }

    @Override
    public void failed(Throwable error) {
        events.add(new Failed(error, System.nanoTime()));
    }

    /** The next event, or null after {@code timeoutMillis}. */
    Event poll(long timeoutMillis) throws InterruptedException {
        return events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
