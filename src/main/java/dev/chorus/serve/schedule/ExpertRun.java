package dev.chorus.serve.schedule;

import dev.chorus.serve.GenerationJob;

/**
 * One expert made ready for a while (for a local expert: a lease that keeps it hot) with its running batch of
 * sequences. Used by one thread at a time. {@link #step()} runs one forward pass over every active sequence (one new
 * token each, or a chunk of a joining sequence's prompt) and finishes the sequences that end or were cancelled.
 */
public interface ExpertRun extends AutoCloseable {
    /** Adds the job's sequence; it starts generating at the next step. Reports {@code started} to its sink. */
    void join(GenerationJob job);

    /** Sequences still generating. */
    int active();

    void step();

    /** Finishes every sequence still active as failed with {@code error} (the run cannot go on). */
    void failAll(Throwable error);

    /** Releases the expert; sequences still active are cancelled. */
    @Override
    void close();

    /** Opens runs of an expert; may block while the expert is loaded (a switch). */
    @FunctionalInterface
    interface Opener {
        ExpertRun open(dev.chorus.serve.ExpertBackend expert);
    }
}
