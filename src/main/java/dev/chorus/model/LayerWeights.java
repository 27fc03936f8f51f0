package dev.chorus.model;

import dev.chorus.tensor.WeightMatrix;

/**
 * The tensors of one transformer block. Optional parts are null when the family does not have them:
 * q/k/v biases (qwen2), per-head q/k norms (qwen3), post-attention and post-FFN norms (gemma2).
 */
public record LayerWeights(
        float[] attnNorm,
        WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
        float[] bq, float[] bk, float[] bv,
        float[] qNorm, float[] kNorm,
        float[] postAttnNorm,
        float[] ffnNorm,
        WeightMatrix wGate, WeightMatrix wUp, WeightMatrix wDown,
        float[] postFfnNorm) {
}
