package dev.chorus.model;

import dev.chorus.tensor.WeightMatrix;

import java.util.List;

/**
 * All weights of a model. Matrices are zero-copy views of the mapped GGUF file in their stored type; only the small
 * 1-D vectors (norms, biases, rope factors) are copied to float arrays.
 *
 * @param output    the output projection; the token embedding itself when the model ties them
 * @param ropeFreqs Llama-3.1 style per-frequency divisors ({@code rope_freqs.weight}), or null
 */
public record ModelWeights(
        WeightMatrix tokenEmbedding,
        List<LayerWeights> layers,
        float[] outputNorm,
        WeightMatrix output,
        float[] ropeFreqs) {

    /** Bytes of all weight data (matrices plus vectors). */
    public long byteSize() {
        long n = tokenEmbedding.data().byteSize() + 4L * outputNorm.length;
        if (output != tokenEmbedding) {
            n += output.data().byteSize();
        }
        if (ropeFreqs != null) {
            n += 4L * ropeFreqs.length;
        }
        for (LayerWeights l : layers) {
            for (WeightMatrix m : new WeightMatrix[] {l.wq(), l.wk(), l.wv(), l.wo(), l.wGate(), l.wUp(), l.wDown()}) {
                n += m.data().byteSize();
            }
            for (float[] v : new float[][] {l.attnNorm(), l.bq(), l.bk(), l.bv(), l.qNorm(), l.kNorm(),
                    l.postAttnNorm(), l.ffnNorm(), l.postFfnNorm()}) {
                n += v == null ? 0 : 4L * v.length;
            }
        }
        return n;
    }
}
