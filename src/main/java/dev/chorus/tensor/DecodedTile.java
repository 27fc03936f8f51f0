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
 */
final class DecodedTile {
    private DecodedTile() {
    }

    /**
     * out[at0 + k*stride] = row 0 . vector (first + k) and out[at1 + k*stride] = row 1 . vector (first + k) for the
     * two rows of {@code rows} and k in 0..3, against Q8_0 activations prepared for
     * {@link QuantizedMatrix#DECODED_MIN_VECTORS} or more vectors.
     */
    static void dot2x4(DecodedRows rows, Activations a, int first, float[] out, int at0, int at1, int stride) {
        float[] q = rows.quants;
        float[] d = rows.scales;
        int cols = rows.cols;
        int blocks = cols / 32;
        int lanes = BlockMajor.segments(cols) * L;
        float[] xq = a.blockMajorQuants;
        float[] xs = a.blockMajorScales;
        int x0 = first * cols;
        int s0 = first * lanes;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        // per segment: each lane sums part of one block exactly; one lane-wise scale product per segment
        for (int b = 0, sl = 0; b < blocks; sl += L) {
            int end = (b + BlockMajor.segmentBlocks(b, blocks)) * 32;
            FloatVector t00 = FloatVector.zero(F), t01 = t00, t02 = t00, t03 = t00;
            FloatVector t10 = t00, t11 = t00, t12 = t00, t13 = t00;
            for (int j = b * 32; j < end; j += L) {
                FloatVector w0 = FloatVector.fromArray(F, q, j);
                FloatVector w1 = FloatVector.fromArray(F, q, cols + j);
                FloatVector x = FloatVector.fromArray(F, xq, x0 + j);
                t00 = w0.fma(x, t00);
                t10 = w1.fma(x, t10);
                x = FloatVector.fromArray(F, xq, x0 + cols + j);
                t01 = w0.fma(x, t01);
                t11 = w1.fma(x, t11);
                x = FloatVector.fromArray(F, xq, x0 + 2 * cols + j);
                t02 = w0.fma(x, t02);
                t12 = w1.fma(x, t12);
                x = FloatVector.fromArray(F, xq, x0 + 3 * cols + j);
                t03 = w0.fma(x, t03);
                t13 = w1.fma(x, t13);
            }
            b = end / 32;
            FloatVector d0 = FloatVector.fromArray(F, d, sl);
            FloatVector d1 = FloatVector.fromArray(F, d, lanes + sl);
            FloatVector e = FloatVector.fromArray(F, xs, s0 + sl);
            a00 = t00.fma(d0.mul(e), a00);
            a10 = t10.fma(d1.mul(e), a10);
            e = FloatVector.fromArray(F, xs, s0 + lanes + sl);
            a01 = t01.fma(d0.mul(e), a01);
            a11 = t11.fma(d1.mul(e), a11);
            e = FloatVector.fromArray(F, xs, s0 + 2 * lanes + sl);
            a02 = t02.fma(d0.mul(e), a02);
            a12 = t12.fma(d1.mul(e), a12);
            e = FloatVector.fromArray(F, xs, s0 + 3 * lanes + sl);
            a03 = t03.fma(d0.mul(e), a03);
            a13 = t13.fma(d1.mul(e), a13);
        }
        Tiles.store(out, at0, stride, a00, a01, a02, a03);
        Tiles.store(out, at1, stride, a10, a11, a12, a13);
    }
}
