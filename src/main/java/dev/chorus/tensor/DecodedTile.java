package dev.chorus.tensor;

import jdk.incubator.vector.FloatVector;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * The batched product of the 32-block types on rows decoded once into floats ({@link DecodedRows}): the tile reads
 * weights from a float array, so it is one kernel for every type (no type switch inside the vector loop, which is what
 * made C2 box vectors in shared drivers) and it stays small enough for C2's inlining budget, which a tile decoding
 * packed weights itself exceeds for Q4_0/Q5_0. Block sums are exact integers in float, scaled once per block and
 * vector, as in the single-vector kernels: a tiled product equals the matVec one up to summation order (per-element
 * scaling, 1.5x faster, made a knife-edge synthetic model's prefill differ from its decode by 0.25 in a logit).
 */
final class DecodedTile {
    private DecodedTile() {
    }

    /**
     * out[at0 + k*stride] = row 0 . vector (first + k) and out[at1 + k*stride] = row 1 . vector (first + k) for the
     * two rows of {@code rows} and k in 0..3, against Q8_0 activations.
     */
    static void dot2x4(DecodedRows rows, Activations a, int first, int cols, float[] out, int at0, int at1,
                       int stride) {
        float[] q = rows.quants;
        float[] d = rows.scales;
        int r1 = rows.rowStride();
        int s1 = r1 / 32;
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int x0 = a.offset(first);
        int step = a.offset(1);
        int sstep = step / 32;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (int b = 0; b < cols / 32; b++) {
            FloatVector t00 = FloatVector.zero(F), t01 = t00, t02 = t00, t03 = t00;
            FloatVector t10 = t00, t11 = t00, t12 = t00, t13 = t00;
            for (int j = b * 32; j < b * 32 + 32; j += L) {
                FloatVector w0 = FloatVector.fromArray(F, q, j);
                FloatVector w1 = FloatVector.fromArray(F, q, r1 + j);
                FloatVector x = FloatVector.fromArray(F, xq, x0 + j);
                t00 = w0.fma(x, t00);
                t10 = w1.fma(x, t10);
                x = FloatVector.fromArray(F, xq, x0 + step + j);
                t01 = w0.fma(x, t01);
                t11 = w1.fma(x, t11);
                x = FloatVector.fromArray(F, xq, x0 + 2 * step + j);
                t02 = w0.fma(x, t02);
                t12 = w1.fma(x, t12);
                x = FloatVector.fromArray(F, xq, x0 + 3 * step + j);
                t03 = w0.fma(x, t03);
                t13 = w1.fma(x, t13);
            }
            float d0 = d[b];
            float d1 = d[s1 + b];
            int sb = x0 / 32 + b;
            float e0 = xs[sb];
            float e1 = xs[sb + sstep];
            float e2 = xs[sb + 2 * sstep];
            float e3 = xs[sb + 3 * sstep];
            a00 = t00.fma(FloatVector.broadcast(F, d0 * e0), a00);
            a01 = t01.fma(FloatVector.broadcast(F, d0 * e1), a01);
            a02 = t02.fma(FloatVector.broadcast(F, d0 * e2), a02);
            a03 = t03.fma(FloatVector.broadcast(F, d0 * e3), a03);
            a10 = t10.fma(FloatVector.broadcast(F, d1 * e0), a10);
            a11 = t11.fma(FloatVector.broadcast(F, d1 * e1), a11);
            a12 = t12.fma(FloatVector.broadcast(F, d1 * e2), a12);
            a13 = t13.fma(FloatVector.broadcast(F, d1 * e3), a13);
        }
        Tiles.store(out, at0, stride, a00, a01, a02, a03);
        Tiles.store(out, at1, stride, a10, a11, a12, a13);
    }
}
