package dev.chorus.serve;

/** The chosen expert's queue is full; the HTTP layer answers 429 with Retry-After. */
public final class QueueFullException extends RuntimeException {
    private final String expertId;
    private final int retryAfterSeconds;

    public QueueFullException(String expertId, int limit, int retryAfterSeconds) {
        super("the queue of expert '" + expertId + "' is full (" + limit + " waiting); retry later");
        this.expertId = expertId;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String expertId() {
        return expertId;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
