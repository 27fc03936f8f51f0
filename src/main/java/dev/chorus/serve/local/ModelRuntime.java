package dev.chorus.serve.local;

import dev.chorus.gguf.GgufFile;
import dev.chorus.memory.ExpertRuntime;
import dev.chorus.memory.ExpertRuntimeFactory;
import dev.chorus.model.Batch;
import dev.chorus.model.Engine;
import dev.chorus.model.KvType;
import dev.chorus.model.Model;
import dev.chorus.model.ModelConfig;
import dev.chorus.model.ModelOptions;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A hot local expert: the engine's {@link Model} over the store's mapped weights and one {@link Engine} (activation
 * buffers) whose forward passes are serialised by a lock, since an engine serves one caller at a time. Each request
 * decodes on its own sequence (KV cache).
 */
public final class ModelRuntime implements ExpertRuntime {
    private final Model model;
    private final Engine engine;
    private final Batch batch;
    private final ReentrantLock forwardLock = new ReentrantLock(true);
    private final long reservedBytes;

    ModelRuntime(Model model, long reservedBytes) {
        this.model = model;
        this.engine = model.newEngine();
        this.batch = new Batch(model.options().maxBatch());
        this.reservedBytes = reservedBytes;
    }

    public Model model() {
        return model;
    }

    Engine engine() {
        return engine;
    }

    Batch batch() {
        return batch;
    }

    ReentrantLock forwardLock() {
        return forwardLock;
    }

    @Override
    public long stateBytes() {
        return reservedBytes;
    }

    @Override
    public void close() {
        model.close();
    }

    /** Builds runtimes for the expert store: sizes KV caches for {@code parallel} full-context sequences. */
    public static final class Factory implements ExpertRuntimeFactory<ModelRuntime> {
        /** Prompt tokens fed per forward pass; bounds the engine's activation buffers. */
        static final int PREFILL_CHUNK = 64;
        private final int threads;
        private final int parallel;

        public Factory(int threads, int parallel) {
            this.threads = threads;
            this.parallel = parallel;
        }

        ModelOptions options() {
            return ModelOptions.defaults().withThreads(threads).withKvType(KvType.F32).withMaxBatch(PREFILL_CHUNK);
        }

        @Override
        public long stateBytes(GgufFile weights) {
            ModelConfig c = ModelConfig.fromMetadata(weights.metadata());
            long kvPerPosition = 4L * (c.keyWidth() + c.valueWidth()) * c.blockCount();
            long kv = kvPerPosition * c.contextLength() * parallel;
            // Activations: a handful of rows per batch entry (residual, norms, q/k/v, attention, feed-forward) and
            // one logits row per entry; an upper estimate of the engine's buffers.
            long widest = Math.max(c.embeddingLength(), c.feedForwardLength());
            long activations = 4L * PREFILL_CHUNK * (8 * widest + c.queryWidth() + 2L * c.keyWidth());
            long logits = 4L * PREFILL_CHUNK * weights.metadata().getArray("tokenizer.ggml.tokens").length();
            return kv + activations + logits;
        }

        @Override
        public ModelRuntime create(GgufFile weights) {
            return new ModelRuntime(Model.load(weights, options()), stateBytes(weights));
        }
    }
}
