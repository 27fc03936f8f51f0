package dev.chorus.model;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufMetadata;

/**
 * The hyper-parameters of a model, all read from GGUF metadata ({@code <arch>.*} keys).
 *
 * @param headDim            key/query width per head ({@code attention.key_length})
 * @param valueDim           value width per head ({@code attention.value_length})
 * @param ropeDims           rotated dimensions per head ({@code rope.dimension_count})
 * @param ropeFreqScale      1 / linear rope scaling factor (1 when unscaled)
 * @param attentionScale     multiplier of q·k (1/sqrt(headDim) unless {@code attention.scale} says otherwise)
 * @param attnSoftcap        gemma2 attention logit soft-cap, 0 when absent
 * @param finalSoftcap       gemma2 final logit soft-cap, 0 when absent
 * @param slidingWindow      gemma2 sliding window (on even layers), 0 when absent
 * @param embeddingScale     factor applied to token embeddings (sqrt(n_embd) for gemma2, else 1)
 */
public record ModelConfig(
        Architecture architecture,
        int embeddingLength,
        int blockCount,
        int headCount,
        int headCountKv,
        int headDim,
        int valueDim,
        int feedForwardLength,
        int contextLength,
        float rmsEps,
        float ropeFreqBase,
        int ropeDims,
        float ropeFreqScale,
        float attentionScale,
        float attnSoftcap,
        float finalSoftcap,
        int slidingWindow,
        float embeddingScale) {

    public int queryWidth() {
        return headCount * headDim;
    }

    public int keyWidth() {
        return headCountKv * headDim;
    }

    public int valueWidth() {
        return headCountKv * valueDim;
    }

    /** True when layer {@code layer} attends only to the last {@link #slidingWindow} positions (gemma2: even layers). */
    public boolean isSlidingLayer(int layer) {
        return slidingWindow > 0 && layer % 2 == 0;
    }

    public static ModelConfig fromMetadata(GgufMetadata md) {
        Architecture arch = Architecture.fromGguf(md.getString("general.architecture"));
        String p = arch.ggufName() + ".";
        int embd = positive(md, p + "embedding_length");
        int blocks = positive(md, p + "block_count");
        int heads = positive(md, p + "attention.head_count");
        int headsKv = md.contains(p + "attention.head_count_kv") ? positive(md, p + "attention.head_count_kv") : heads;
        if (heads % headsKv != 0) {
            throw new ChorusException("attention.head_count " + heads + " is not a multiple of head_count_kv " + headsKv);
        }
        int headDim = md.getInt(p + "attention.key_length", embd / heads);
        int valueDim = md.getInt(p + "attention.value_length", headDim);
        int ropeDims = md.getInt(p + "rope.dimension_count", headDim);
        if (ropeDims > headDim || ropeDims % 2 != 0) {
            throw new ChorusException("rope.dimension_count " + ropeDims + " does not fit head size " + headDim);
        }
        String scalingType = md.getString(p + "rope.scaling.type", "none");
        float freqScale = switch (scalingType) {
            case "none" -> 1f;
            case "linear" -> 1f / md.getFloat(p + "rope.scaling.factor", 1f);
            default -> throw new ChorusException("unsupported rope scaling type '" + scalingType + "' in " + p + "rope.scaling.type");
        };
        if (!md.contains(p + "attention.layer_norm_rms_epsilon")) {
            throw new ChorusException("metadata key '" + p + "attention.layer_norm_rms_epsilon' is missing");
        }
        float eps = (float) md.getDouble(p + "attention.layer_norm_rms_epsilon");
        float attnScale = md.getFloat(p + "attention.scale", (float) (1.0 / Math.sqrt(headDim)));
        boolean gemma = arch == Architecture.GEMMA2;
        return new ModelConfig(arch, embd, blocks, heads, headsKv, headDim, valueDim,
                positive(md, p + "feed_forward_length"),
                positive(md, p + "context_length"),
                eps,
                md.getFloat(p + "rope.freq_base", 10000f),
                ropeDims, freqScale, attnScale,
                md.getFloat(p + "attn_logit_softcapping", 0f),
                md.getFloat(p + "final_logit_softcapping", 0f),
                md.getInt(p + "attention.sliding_window", 0),
                gemma ? (float) Math.sqrt(embd) : 1f);
    }

    private static int positive(GgufMetadata md, String key) {
        int v = md.getInt(key);
        if (v <= 0) {
            throw new ChorusException("metadata key '" + key + "' must be positive, got " + v);
        }
        return v;
    }
}
