package dev.chorus.memory;

import dev.chorus.gguf.GgufFile;

import java.io.IOException;

/**
 * Builds an expert's runtime over its mapped, resident weights. The store asks for {@link #stateBytes} before creating
 * anything, so the hot budget is reserved before memory is allocated.
 *
 * @param <R> the runtime type leases hand out
 */
public interface ExpertRuntimeFactory<R extends ExpertRuntime> {
    /** Exact bytes {@link #create} will allocate for this file; read from its metadata, allocates nothing. */
    long stateBytes(GgufFile weights);

    /** Creates the runtime; it may keep views into {@code weights}, which stays mapped until the runtime is closed. */
    R create(GgufFile weights) throws IOException;
}
