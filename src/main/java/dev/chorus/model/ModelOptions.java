package dev.chorus.model;

/**
 * How a model is run.
 *
 * @param threads       compute threads (the calling thread counts as one)
 * @param kvType        KV cache element type
 * @param contextLength positions per sequence; 0 means the model's trained context length
 * @param maxBatch      most entries in one forward pass (sizes the engine's activation buffers)
 */
public record ModelOptions(int threads, KvType kvType, int contextLength, int maxBatch) {
    public ModelOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (contextLength < 0) {
            throw new IllegalArgumentException("context length must not be negative, got " + contextLength);
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("max batch must be at least 1, got " + maxBatch);
        }
    }

    /** All cores, F32 KV cache, the model's context length, batches of up to 512. */
    public static ModelOptions defaults() {
        return new ModelOptions(Runtime.getRuntime().availableProcessors(), KvType.F32, 0, 512);
    }

    public ModelOptions withThreads(int t) {
        return new ModelOptions(t, kvType, contextLength, maxBatch);
    }

    public ModelOptions withKvType(KvType t) {
        return new ModelOptions(threads, t, contextLength, maxBatch);
    }

    public ModelOptions withContextLength(int c) {
        return new ModelOptions(threads, kvType, c, maxBatch);
    }

    public ModelOptions withMaxBatch(int b) {
        return new ModelOptions(threads, kvType, contextLength, b);
    }
}
