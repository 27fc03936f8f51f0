package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/** Q8_0: blocks of 32 int8 with an fp16 scale (34 bytes); dot against Q8_0 activations. */
final class Q8_0Kernel extends Block32Kernel {
    static final int BLOCK_BYTES = 34;

    Q8_0Kernel() {
        super(GgmlType.Q8_0, ActivationFormat.Q8_0, Q8_0);
    }

    /** q_j of the block at {@code block}. */
    static int quant(MemorySegment w, long block, int j) {
        return Mem.i8(w, block + 2 + j);
    }

    /** One block per step in 16-bit integer lanes: about twice as fast as converting every weight to float. */
    @Override
    float dot(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        if (!Vec.ENABLED) {
            return dotReference(w, rowOffset, a, vector, cols);
        }
        short[] xq = a.quantShorts;
        float[] xs = a.scales;
        int xo = a.offset(vector);
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = xo + b * 32;
            // int8 x int8 in 16-bit lanes (|product| <= 127 * 128), adjacent pairs summed into 32-bit lanes
            IntVector sum = IntVector.zero(Vec.I);
            for (int j = 0; j < 32; j += 2 * L) {
                ShortVector w16 = Vec.toShorts(ByteVector.fromMemorySegment(Vec.B2, w, o + 2 + j, Vec.LE));
                sum = sum.add(Vec.pairSums(w16.mul(ShortVector.fromArray(Vec.S2, xq, xb + j))));
            }
            acc = Vec.toFloat(sum).fma(FloatVector.broadcast(F, Mem.f16(w, o) * xs[xb / 32]), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Written out per type: a tile loop shared by the family, with the unpacking picked per type, boxes vectors. */
    @Override
    void dot4(MemorySegment w, long rowOffset, Activations a, int first, int cols, float[] out, int at, int stride) {
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int x0 = a.offset(first);
        int step = a.offset(1);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = x0 + b * 32;
            FloatVector t0 = FloatVector.zero(F);
            FloatVector t1 = FloatVector.zero(F);
            FloatVector t2 = FloatVector.zero(F);
            FloatVector t3 = FloatVector.zero(F);
            for (int j = 0; j < 32; j += L) {
                FloatVector q = Vec.bytes(w, o + 2 + j);
                t0 = q.fma(FloatVector.fromArray(F, xq, xb + j), t0);
                t1 = q.fma(FloatVector.fromArray(F, xq, xb + step + j), t1);
                t2 = q.fma(FloatVector.fromArray(F, xq, xb + 2 * step + j), t2);
                t3 = q.fma(FloatVector.fromArray(F, xq, xb + 3 * step + j), t3);
            }
            float d = Mem.f16(w, o);
            int sb = xb / 32;
            int sstep = step / 32;
            acc0 = t0.fma(FloatVector.broadcast(F, d * xs[sb]), acc0);
            acc1 = t1.fma(FloatVector.broadcast(F, d * xs[sb + sstep]), acc1);
            acc2 = t2.fma(FloatVector.broadcast(F, d * xs[sb + 2 * sstep]), acc2);
            acc3 = t3.fma(FloatVector.broadcast(F, d * xs[sb + 3 * sstep]), acc3);
        }
        out[at] = acc0.reduceLanes(VectorOperators.ADD);
        out[at + stride] = acc1.reduceLanes(VectorOperators.ADD);
        out[at + 2 * stride] = acc2.reduceLanes(VectorOperators.ADD);
        out[at + 3 * stride] = acc3.reduceLanes(VectorOperators.ADD);
    }

    /**
     * Two rows by four vectors: per step, two decoded weight vectors and four activation vectors feed 8 FMAs, so each
     * activation load serves both rows. Block sums stay exact integers in float and are scaled once per block, as in
     * {@link #dot}, so a tiled product equals the single-vector one up to the order of the scaled block sums (a
     * knife-edge synthetic model showed that per-element rounding can flip a later activation quantization step).
     * (Four rows by four vectors exceeds C2's inlining node budget, which then boxes the accumulators.)
     */
    @Override
    void dot2x4(MemorySegment w, long rowOffset, long rowBytes, Activations a, int first, int cols, float[] out, int at,
                int stride) {
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int x0 = a.offset(first);
        int step = a.offset(1);
        int sstep = step / 32;
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (int b = 0; b < cols / 32; b++) {
            long o0 = rowOffset + (long) b * BLOCK_BYTES;
            long o1 = o0 + rowBytes;
            FloatVector t00 = FloatVector.zero(F), t01 = t00, t02 = t00, t03 = t00;
            FloatVector t10 = t00, t11 = t00, t12 = t00, t13 = t00;
            for (int j = 0; j < 32; j += L) {
                int xj = x0 + b * 32 + j;
                FloatVector w0 = Vec.bytes(w, o0 + 2 + j);
                FloatVector w1 = Vec.bytes(w, o1 + 2 + j);
                FloatVector x = FloatVector.fromArray(F, xq, xj);
                t00 = w0.fma(x, t00);
                t10 = w1.fma(x, t10);
                x = FloatVector.fromArray(F, xq, xj + step);
                t01 = w0.fma(x, t01);
                t11 = w1.fma(x, t11);
                x = FloatVector.fromArray(F, xq, xj + 2 * step);
                t02 = w0.fma(x, t02);
                t12 = w1.fma(x, t12);
                x = FloatVector.fromArray(F, xq, xj + 3 * step);
                t03 = w0.fma(x, t03);
                t13 = w1.fma(x, t13);
            }
            float d0 = Mem.f16(w, o0);
            float d1 = Mem.f16(w, o1);
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
        Tiles.store(out, at, stride, a00, a01, a02, a03);
        Tiles.store(out, at + 1, stride, a10, a11, a12, a13);
    }
}
