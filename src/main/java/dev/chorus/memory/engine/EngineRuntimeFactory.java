package dev.chorus.memory.engine;

import dev.chorus.gguf.GgufFile;
import dev.chorus.memory.ExpertRuntimeFactory;
import dev.chorus.model.KvType;
import dev.chorus.model.Model;
import dev.chorus.model.ModelConfig;
import dev.chorus.model.ModelOptions;

/**
 * Runs experts on the Chorus engine. Warm experts keep a {@link Model} bound to the store's mapped weights; hot ones
 * add one {@link dev.chorus.model.Engine} (activation buffers) and a fixed number of sequence slots whose KV caches
 * are budgeted at full context length, so the hot budget covers the worst case before anything is allocated.
 *
 * @param sequenceSlots sequences one hot expert may hold at once (its continuous-batching width)
 */
public record EngineRuntimeFactory(ModelOptions options, int sequenceSlots)
        implements ExpertRuntimeFactory<EngineExpertRuntime> {
    public EngineRuntimeFactory {
        if (sequenceSlots < 1) {
            throw new IllegalArgumentException("an expert needs at least one sequence slot, got " + sequenceSlots);
        }
    }

    @Override
    public long stateBytes(GgufFile weights) {
        ModelConfig cfg = ModelConfig.fromMetadata(weights.metadata());
        return kvBytes(cfg) + activationBytes(cfg, vocabSize(weights));
    }

    /** Warm: the model bound to the mapped weights (config, weight views, compute threads); no KV, no buffers. */
    @Override
    public PreparedExpert<EngineExpertRuntime> prepare(GgufFile weights) {
        Model model = Model.load(weights, options);
        long reserved = stateBytes(weights);
        return new PreparedExpert<>() {
            @Override
            public EngineExpertRuntime start() {
                return new EngineExpertRuntime(model, sequenceSlots, reserved);
            }

            @Override
            public void close() {
                model.close();
            }
        };
    }

    int contextLength(ModelConfig cfg) {
        return options.contextLength() > 0 ? options.contextLength() : cfg.contextLength();
    }

    /** Every slot's KV cache at full context: the most the caches can grow to. */
    long kvBytes(ModelConfig cfg) {
        long element = options.kvType() == KvType.F32 ? 4 : 2;
        return sequenceSlots * (long) contextLength(cfg) * element * (cfg.keyWidth() + cfg.valueWidth())
                * cfg.blockCount();
    }

    /**
     * The engine's float buffers for a full batch (mirrors Engine.Activations) plus the logits of a full batch and
     * attention scores at full context; an upper bound, so the budget is never exceeded.
     */
    long activationBytes(ModelConfig cfg, int vocab) {
        long batch = options.maxBatch();
        long dim = cfg.embeddingLength();
        long heads = cfg.headCount();
        long perEntry = 2 * dim + Math.max(dim, heads * cfg.valueDim()) + cfg.queryWidth() + cfg.keyWidth()
                + cfg.valueWidth() + heads * cfg.valueDim() + 2L * cfg.feedForwardLength() + cfg.headDim();
        long scores = 2L * options.threads() * contextLength(cfg);
        return 4 * (batch * perEntry + batch * vocab + scores);
    }

    private static int vocabSize(GgufFile weights) {
        var tokens = weights.tensor("token_embd.weight");
        return tokens == null ? 0 : (int) tokens.dim(1);
    }
}
