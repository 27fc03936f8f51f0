package dev.chorus.memory;

/**
 * What a hot expert needs beyond its mapped weights to serve a request (the engine's model and its KV cache and
 * buffers). Created by an {@link ExpertRuntimeFactory} on promotion to {@link Tier#HOT}, closed on demotion.
 */
public interface ExpertRuntime extends AutoCloseable {
    /** Bytes of memory this runtime allocated (KV cache, buffers), counted against the hot budget. */
    long stateBytes();

    /** Frees the runtime state. Called exactly once, when no lease uses it any more. */
    @Override
    void close();
}
