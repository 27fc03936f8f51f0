package dev.chorus.memory.bench;

import dev.chorus.memory.ExpertRuntime;
import dev.chorus.memory.ExpertRuntimeFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code bench switch} runs on each expert: how to build a hot runtime for the store, what "a request up to its
 * first token" is, and how a server without tiers would load the same expert from its file.
 */
public interface SwitchWorkload<R extends ExpertRuntime> {
    /** One line saying what a request and a load are in this workload (printed with the results). */
    String description();

    ExpertRuntimeFactory<R> factory();

    /** A request on a hot expert, up to its first token. */
    void firstToken(R runtime);

    /** Loads the expert the naive way (open the file with the engine); closing it unloads it. */
    NaiveModel openNaive(Path file) throws IOException;

    /** A model loaded without tiers. */
    interface NaiveModel extends AutoCloseable {
        void firstToken();

        @Override
        void close();
    }
}
