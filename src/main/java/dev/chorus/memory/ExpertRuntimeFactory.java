package dev.chorus.memory;

import dev.chorus.gguf.GgufFile;

import java.io.IOException;

/**
 * Builds an expert's runtime over its mapped, resident weights, in two steps matching the tiers: {@link #prepare}
 * when the expert becomes warm (parse and bind the weights: cheap structures, no large allocations), then
 * {@link PreparedExpert#start} when it becomes hot (allocate the runtime state: KV cache, buffers). The store asks for
 * {@link #stateBytes} before either, so the hot budget is reserved before memory is allocated.
 *
 * @param <R> the runtime type leases hand out
 */
public interface ExpertRuntimeFactory<R extends ExpertRuntime> {
    /** Exact (or upper-bound) bytes {@link PreparedExpert#start} allocates; read from metadata, allocates nothing. */
    long stateBytes(GgufFile weights);

    /**
     * Binds the weights; the result lives while the expert is warm or hot and is closed before the file is unmapped.
     * It may keep views into {@code weights}.
     */
    default PreparedExpert<R> prepare(GgufFile weights) throws IOException {
        return () -> create(weights);
    }

    /**
     * The one-step alternative to {@link #prepare}: builds the whole runtime on promotion to hot. A factory
     * implements one of the two; preparing at warm time makes warm -> hot cheaper.
     */
    default R create(GgufFile weights) throws IOException {
        throw new UnsupportedOperationException(getClass().getName() + " implements neither prepare nor create");
    }

    /** An expert's structures bound to its weights, ready to start runtimes. */
    @FunctionalInterface
    interface PreparedExpert<R extends ExpertRuntime> extends AutoCloseable {
        /** Allocates the runtime state; called on each promotion to hot. */
        R start() throws IOException;

        @Override
        default void close() {
        }
    }
}
