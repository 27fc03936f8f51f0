package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q5_0: blocks of 32 with an fp16 scale, a 32-bit mask of fifth bits (bit j for element j) and 16 bytes of nibbles
 * (22 bytes); value = d*(q - 16). Dot against Q8_0 activations.
 */
final class Q5_0Kernel extends Block32Kernel {
    static final int BLOCK_BYTES = 22;

    Q5_0Kernel() {
        super(GgmlType.Q5_0, ActivationFormat.Q8_0, Q5_0);
    }

    static int quant(MemorySegment w, long block, int j) {
        int v = Mem.u8(w, block + 6 + (j & 15));
        int low = j < 16 ? v & 15 : v >>> 4;
        return (low | (((Mem.i32(w, block + 2) >>> j) & 1) << 4)) - 16;
    }

    @Override
    float dot(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        if (!Vec.ENABLED) {
            return dotReference(w, rowOffset, a, vector, cols);
        }
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int xo = a.offset(vector);
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = xo + b * 32;
            int qh = Mem.i32(w, o + 2);
            FloatVector t = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = Vec.toInt(Vec.byteVector(w, o + 6 + j));
                IntVector lo = q.and(15).or(Vec.highBits(qh >>> j, 4)).sub(16);
                IntVector hi = q.lanewise(VectorOperators.ASHR, 4).and(15).or(Vec.highBits(qh >>> (16 + j), 4)).sub(16);
                t = Vec.toFloat(lo).fma(FloatVector.fromArray(F, xq, xb + j), t);
                t = Vec.toFloat(hi).fma(FloatVector.fromArray(F, xq, xb + 16 + j), t);
            }
            acc = t.fma(FloatVector.broadcast(F, Mem.f16(w, o) * xs[xb / 32]), acc);
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
            int qh = Mem.i32(w, o + 2);
            FloatVector t0 = FloatVector.zero(F);
            FloatVector t1 = FloatVector.zero(F);
            FloatVector t2 = FloatVector.zero(F);
            FloatVector t3 = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = Vec.toInt(Vec.byteVector(w, o + 6 + j));
                FloatVector lo = Vec.toFloat(q.and(15).or(Vec.highBits(qh >>> j, 4)).sub(16));
                FloatVector hi = Vec.toFloat(q.lanewise(VectorOperators.ASHR, 4).and(15)
                        .or(Vec.highBits(qh >>> (16 + j), 4)).sub(16));
                t0 = hi.fma(FloatVector.fromArray(F, xq, xb + 16 + j), lo.fma(FloatVector.fromArray(F, xq, xb + j), t0));
                t1 = hi.fma(FloatVector.fromArray(F, xq, xb + step + 16 + j),
                        lo.fma(FloatVector.fromArray(F, xq, xb + step + j), t1));
                t2 = hi.fma(FloatVector.fromArray(F, xq, xb + 2 * step + 16 + j),
                        lo.fma(FloatVector.fromArray(F, xq, xb + 2 * step + j), t2));
                t3 = hi.fma(FloatVector.fromArray(F, xq, xb + 3 * step + 16 + j),
                        lo.fma(FloatVector.fromArray(F, xq, xb + 3 * step + j), t3));
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
     * Two rows by four vectors against {@link Activations#scaledFloats}: each row's 5-bit values become d*q - 16d with
     * one FMA, and every activation load feeds both rows (see {@link Q8_0Kernel#dot2x4} for the rounding).
     */
    @Override
    void dot2x4(MemorySegment w, long rowOffset, long rowBytes, Activations a, int first, int cols, float[] out, int at,
                int stride) {
        float[] xf = a.scaledFloats;
        int x0 = a.offset(first);
        int step = a.offset(1);
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (int b = 0; b < cols / 32; b++) {
            long o0 = rowOffset + (long) b * BLOCK_BYTES;
            long o1 = o0 + rowBytes;
            float s0 = Mem.f16(w, o0);
            float s1 = Mem.f16(w, o1);
            int qh0 = Mem.i32(w, o0 + 2);
            int qh1 = Mem.i32(w, o1 + 2);
            FloatVector d0 = FloatVector.broadcast(F, s0);
            FloatVector d1 = FloatVector.broadcast(F, s1);
            FloatVector m0 = FloatVector.broadcast(F, -16 * s0);
            FloatVector m1 = FloatVector.broadcast(F, -16 * s1);
            for (int j = 0; j < 16; j += L) {
                IntVector q0 = Vec.toInt(Vec.byteVector(w, o0 + 6 + j));
                IntVector q1 = Vec.toInt(Vec.byteVector(w, o1 + 6 + j));
                // h = 0: the low nibbles, h = 16: the high ones; a loop for C2's inlining node budget (see Q4_0)
                for (int h = 0; h < 32; h += 16) {
                    int xj = x0 + b * 32 + h + j;
                    FloatVector w0 = Vec.toFloat(q0.lanewise(VectorOperators.ASHR, h >> 2).and(15)
                            .or(Vec.highBits(qh0 >>> (h + j), 4))).fma(d0, m0);
                    FloatVector w1 = Vec.toFloat(q1.lanewise(VectorOperators.ASHR, h >> 2).and(15)
                            .or(Vec.highBits(qh1 >>> (h + j), 4))).fma(d1, m1);
                    FloatVector x = FloatVector.fromArray(F, xf, xj);
                    a00 = w0.fma(x, a00);
                    a10 = w1.fma(x, a10);
                    x = FloatVector.fromArray(F, xf, xj + step);
                    a01 = w0.fma(x, a01);
                    a11 = w1.fma(x, a11);
                    x = FloatVector.fromArray(F, xf, xj + 2 * step);
                    a02 = w0.fma(x, a02);
                    a12 = w1.fma(x, a12);
                    x = FloatVector.fromArray(F, xf, xj + 3 * step);
                    a03 = w0.fma(x, a03);
                    a13 = w1.fma(x, a13);
                }
            }
        }
        Tiles.store(out, at, stride, a00, a01, a02, a03);
        Tiles.store(out, at + 1, stride, a10, a11, a12, a13);
    }
}
