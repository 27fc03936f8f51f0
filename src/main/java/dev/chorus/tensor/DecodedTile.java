package dev.chorus.tensor;

import jdk.incubator.vector.FloatVector;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * The batched product of the 32-block types on rows decoded once into floats ({@link DecodedRows}) against
 * activations in the same {@link BlockMajor} layout. One kernel for every type (no type switch inside the vector loop,
 * which is what made C2 box vectors in shared drivers), small enough for C2's inlining budget. Each lane sums one block
 * exactly (integers in float) and is scaled by d_w * d_x once, as in the single-vector kernels, so a tiled product
 * equals the matVec one up to summation order. (Scaling weights and activations per element instead, 1.5x faster in a
 * row-major tile, made a knife-edge synthetic model's prefill differ from its decode by 0.25 in a logit.)
 * <p>
 * The tile is {@link DecodedRows#ROWS} = 4 rows x {@link #VECTORS} = 4 vectors: 16 accumulators, and per step 8 loads
 * for 16 multiply-adds (a 2 x 4 tile needed 6 for 8, and streamed the activations from L2 twice as often: 49 against 61
 * G multiply-adds/s on one thread with 64 vectors x 896 columns). The per-segment scaled sums go to a small array in
 * {@link DecodedRows}, since 16 more vector registers would not fit.
 */
final class DecodedTile {
    static final int VECTORS = 4;

    private DecodedTile() {
    }

    /**
     * out[base + index[i] + k*stride] = row i . vector (first + k) for the rows of {@code rows} (i, k in 0..3; index =
     * {@link DecodedRows#index}), against Q8_0 activations prepared for {@link QuantizedMatrix#DECODED_MIN_VECTORS} or
     * more vectors.
     */
    static void dot4x4(DecodedRows rows, Activations a, int first, float[] out, int base, int stride) {
        float[] q = rows.quants;
        float[] d = rows.scales;
        float[] s = rows.sums;
        int cols = rows.cols;
        int blocks = cols / 32;
        int lanes = BlockMajor.segments(cols) * L;
        float[] xq = a.blockMajorQuants;
        float[] xs = a.blockMajorScales;
        int x0 = first * cols;
        int s0 = first * lanes;
        java.util.Arrays.fill(s, 0f);
        // per segment: each lane sums part of one block exactly; then one lane-wise scale product per (row, vector)
        for (int b = 0, sl = 0; b < blocks; sl += L) {
            int end = (b + BlockMajor.segmentBlocks(b, blocks)) * 32;
            FloatVector t00 = FloatVector.zero(F), t01 = t00, t02 = t00, t03 = t00;
            FloatVector t10 = t00, t11 = t00, t12 = t00, t13 = t00;
            FloatVector t20 = t00, t21 = t00, t22 = t00, t23 = t00;
            FloatVector t30 = t00, t31 = t00, t32 = t00, t33 = t00;
            for (int j = b * 32; j < end; j += L) {
                FloatVector w0 = FloatVector.fromArray(F, q, j);
                FloatVector w1 = FloatVector.fromArray(F, q, cols + j);
                FloatVector w2 = FloatVector.fromArray(F, q, 2 * cols + j);
                FloatVector w3 = FloatVector.fromArray(F, q, 3 * cols + j);
                FloatVector x = FloatVector.fromArray(F, xq, x0 + j);
                t00 = w0.fma(x, t00);
                t10 = w1.fma(x, t10);
                t20 = w2.fma(x, t20);
                t30 = w3.fma(x, t30);
                x = FloatVector.fromArray(F, xq, x0 + cols + j);
                t01 = w0.fma(x, t01);
                t11 = w1.fma(x, t11);
                t21 = w2.fma(x, t21);
                t31 = w3.fma(x, t31);
                x = FloatVector.fromArray(F, xq, x0 + 2 * cols + j);
                t02 = w0.fma(x, t02);
                t12 = w1.fma(x, t12);
                t22 = w2.fma(x, t22);
                t32 = w3.fma(x, t32);
                x = FloatVector.fromArray(F, xq, x0 + 3 * cols + j);
                t03 = w0.fma(x, t03);
                t13 = w1.fma(x, t13);
                t23 = w2.fma(x, t23);
                t33 = w3.fma(x, t33);
            }
            b = end / 32;
            FloatVector e0 = FloatVector.fromArray(F, xs, s0 + sl);
            FloatVector e1 = FloatVector.fromArray(F, xs, s0 + lanes + sl);
            FloatVector e2 = FloatVector.fromArray(F, xs, s0 + 2 * lanes + sl);
            FloatVector e3 = FloatVector.fromArray(F, xs, s0 + 3 * lanes + sl);
            FloatVector d0 = FloatVector.fromArray(F, d, 0 * lanes + sl);
            t00.fma(d0.mul(e0), FloatVector.fromArray(F, s, 0 * L)).intoArray(s, 0 * L);
            t01.fma(d0.mul(e1), FloatVector.fromArray(F, s, 1 * L)).intoArray(s, 1 * L);
            t02.fma(d0.mul(e2), FloatVector.fromArray(F, s, 2 * L)).intoArray(s, 2 * L);
            t03.fma(d0.mul(e3), FloatVector.fromArray(F, s, 3 * L)).intoArray(s, 3 * L);
            FloatVector d1 = FloatVector.fromArray(F, d, 1 * lanes + sl);
            t10.fma(d1.mul(e0), FloatVector.fromArray(F, s, 4 * L)).intoArray(s, 4 * L);
            t11.fma(d1.mul(e1), FloatVector.fromArray(F, s, 5 * L)).intoArray(s, 5 * L);
            t12.fma(d1.mul(e2), FloatVector.fromArray(F, s, 6 * L)).intoArray(s, 6 * L);
            t13.fma(d1.mul(e3), FloatVector.fromArray(F, s, 7 * L)).intoArray(s, 7 * L);
            FloatVector d2 = FloatVector.fromArray(F, d, 2 * lanes + sl);
            t20.fma(d2.mul(e0), FloatVector.fromArray(F, s, 8 * L)).intoArray(s, 8 * L);
            t21.fma(d2.mul(e1), FloatVector.fromArray(F, s, 9 * L)).intoArray(s, 9 * L);
            t22.fma(d2.mul(e2), FloatVector.fromArray(F, s, 10 * L)).intoArray(s, 10 * L);
            t23.fma(d2.mul(e3), FloatVector.fromArray(F, s, 11 * L)).intoArray(s, 11 * L);
            FloatVector d3 = FloatVector.fromArray(F, d, 3 * lanes + sl);
            t30.fma(d3.mul(e0), FloatVector.fromArray(F, s, 12 * L)).intoArray(s, 12 * L);
            t31.fma(d3.mul(e1), FloatVector.fromArray(F, s, 13 * L)).intoArray(s, 13 * L);
            t32.fma(d3.mul(e2), FloatVector.fromArray(F, s, 14 * L)).intoArray(s, 14 * L);
            t33.fma(d3.mul(e3), FloatVector.fromArray(F, s, 15 * L)).intoArray(s, 15 * L);
        }
        int[] index = rows.index;
        // lane sums in a fixed order: the same bits compiled or interpreted (reduceLanes may differ between the two)
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 4; k++) {
                float sum = 0f;
                for (int l = (i * 4 + k) * L, e = l + L; l < e; l++) {
                    sum += s[l];
                }
                out[base + index[i] + k * stride] = sum;
            }
        }
    }
}
