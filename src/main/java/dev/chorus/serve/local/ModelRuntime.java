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
        /** Positions per sequence at most; 0 = the model's trained context. */
        private final int contextLength;
        private final KvType kvType;

        public Factory(int threads, int parallel) {
            this(threads, parallel, 0);
        }

        /** As above with a context length below the model's (benchmarks: KV room for many short sequences). */
        public Factory(int threads, int parallel, int contextLength) {
            this(threads, parallel, contextLength, KvType.F32);
        }

        public Factory(int threads, int parallel, int contextLength, KvType kvType) {
            this.threads = threads;
            this.parallel = parallel;
            this.contextLength = contextLength;
            this.kvType = kvType;
        }

        ModelOptions options(ModelConfig c) {
            return ModelOptions.defaults().withThreads(threads).withKvType(kvType).withMaxBatch(PREFILL_CHUNK)
                    .withContextLength(positions(c));
        }

        /** Positions per sequence for this model: the configured cap, never beyond the model's own context. */
        public int positions(ModelConfig c) {
            return positions(contextLength, c.contextLength());
        }

        /** Positions per sequence under a cap ({@code 0}: none), never beyond the model's trained context. */
        static int positions(int cap, int trained) {
            return cap > 0 ? Math.min(cap, trained) : trained;
        }

        @Override
        public long stateBytes(GgufFile weights) {
            ModelConfig c = ModelConfig.fromMetadata(weights.metadata());
            long kvPerPosition = (kvType == KvType.F32 ? 4L : 2L) * (c.keyWidth() + c.valueWidth()) * c.blockCount();
            long kv = kvPerPosition * positions(c) * parallel;
            // Activations: a handful of rows per batch entry (residual, norms, q/k/v, attention, feed-forward) and
            // one logits row per entry; an upper estimate of the engine's buffers.
            long widest = Math.max(c.embeddingLength(), c.feedForwardLength());
            long activations = 4L * PREFILL_CHUNK * (8 * widest + c.queryWidth() + 2L * c.keyWidth());
            long logits = 4L * PREFILL_CHUNK * weights.metadata().getArray("tokenizer.ggml.tokens").length();
            return kv + activations + logits;
        }

        @Override
        public ModelRuntime create(GgufFile weights) {
            return new ModelRuntime(Model.load(weights, options(ModelConfig.fromMetadata(weights.metadata()))),
                    stateBytes(weights));
        }
    }
}
