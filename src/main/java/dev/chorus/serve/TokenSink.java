package dev.chorus.serve;

/**
 * Receives one request's generation as it happens, on the generating thread. Calls come in this order:
 * {@link #started} once, then {@link #token} zero or more times, then exactly one of {@link #finished} or
 * {@link #failed}. Implementations must not block (the scheduler may be decoding other sequences in the same
 * pass); the HTTP layer buffers events and writes them from its own thread.
 */
public interface TokenSink {
    void started(ServedFrom servedFrom);

    void token(GeneratedToken token);

    void finished(FinishReason reason);

    void failed(Throwable error);
}
