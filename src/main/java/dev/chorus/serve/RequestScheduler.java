package dev.chorus.serve;

/**
 * The seam between the HTTP layer and execution. The server routes and prepares a request, then hands it here;
 * the scheduler decides when (and, for a batching scheduler, together with which other sequences) the expert runs
 * it, and reports through the job's {@link TokenSink}. The switch-aware, batching scheduler of the scheduler issue
 * implements this interface; {@link FifoScheduler} is the simple first-come-first-served one.
 */
public interface RequestScheduler extends AutoCloseable {
    /**
     * Queues the job. Never blocks; throws {@link QueueFullException} when the expert's queue is at its bound.
     * A job whose token is cancelled while waiting is finished with CANCELLED without running.
     */
    void submit(GenerationJob job);

    /** Requests waiting (not yet running) for this expert. */
    int queued(String expertId);

    /** Requests running right now, all experts together. */
    int running();

    @Override
    void close();
}
