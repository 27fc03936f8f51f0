package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q4_K: super-blocks of 256 (144 bytes): fp16 d and dmin, 12 bytes of 6-bit scales/mins for eight sub-blocks of 32,
 * 128 bytes of nibbles. Element e is in byte 32*(e/64) + e%32, low nibble when (e/32) is even; value =
 * d*scale*q - dmin*min. Dot against Q8_K activations.
 */
final class Q4_KKernel extends KScaledKernel {
    static final int BLOCK_BYTES = 144;

    Q4_KKernel() {
        super(GgmlType.Q4_K, ActivationFormat.Q8_K, Q4_K);
    }

    static int quant(MemorySegment w, long block, int e) {
        int v = Mem.u8(w, block + 16 + ((e >>> 6) << 5) + (e & 31));
        return ((e >>> 5) & 1) == 0 ? v & 15 : v >>> 4;
    }

    @Override
    float dot(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        if (!Vec.ENABLED) {
            return dotReference(w, rowOffset, a, vector, cols);
        }
        float[] xq = a.quantFloats;
        int xo = a.offset(vector);
        FloatVector acc = FloatVector.zero(F);
        float mins = 0f;
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = xo + b * 256;
            float dx = a.scales[xb / 256];
            float d = Mem.f16(w, o) * dx;
            int u0 = Mem.i32(w, o + 4);
            int u1 = Mem.i32(w, o + 8);
            int u2 = Mem.i32(w, o + 12);
            int scLow = KScales.scalesLow(u0);
            int scHigh = KScales.scalesHigh(u0, u2);
            mins += Mem.f16(w, o + 2) * dx
                    * KScales.minDot(KScales.minsLow(u1), KScales.minsHigh(u1, u2), a.pairSums, xb / 32);
            for (int c = 0; c < 4; c++) {
                long qo = o + 16 + (c << 5);
                int s0 = 2 * c;
                int sc = (c < 2 ? scLow : scHigh) >>> (16 * (c & 1));
                FloatVector t0 = FloatVector.zero(F);
                FloatVector t1 = FloatVector.zero(F);
                for (int i = 0; i < 32; i += L) {
                    IntVector q = Vec.toInt(Vec.byteVector(w, qo + i));
                    IntVector lo = q.and(15);
                    IntVector hi = q.lanewise(VectorOperators.ASHR, 4).and(15);
                    t0 = Vec.toFloat(lo).fma(FloatVector.fromArray(F, xq, xb + s0 * 32 + i), t0);
                    t1 = Vec.toFloat(hi).fma(FloatVector.fromArray(F, xq, xb + s0 * 32 + 32 + i), t1);
                }
                acc = t0.fma(FloatVector.broadcast(F, d * (sc & 0xff)), acc);
                acc = t1.fma(FloatVector.broadcast(F, d * ((sc >>> 8) & 0xff)), acc);
            }
        }
        return acc.reduceLanes(VectorOperators.ADD) - mins;
    }

    @Override
    void dot4(MemorySegment w, long rowOffset, Activations a, int first, int cols, float[] out, int at, int stride) {
        float[] xq = a.quantFloats;
        int x0 = a.offset(first);
        int step = a.offset(1);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        float min0 = 0f;
        float min1 = 0f;
        float min2 = 0f;
        float min3 = 0f;
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = x0 + b * 256;
            float d = Mem.f16(w, o);
            float dmin = Mem.f16(w, o + 2);
            int u0 = Mem.i32(w, o + 4);
            int u1 = Mem.i32(w, o + 8);
            int u2 = Mem.i32(w, o + 12);
            min0 += minTerm(a, xb, dmin, u1, u2);
            min1 += minTerm(a, xb + step, dmin, u1, u2);
            min2 += minTerm(a, xb + 2 * step, dmin, u1, u2);
            min3 += minTerm(a, xb + 3 * step, dmin, u1, u2);
            float d0 = d * a.scales[xb / 256];
            float d1 = d * a.scales[(xb + step) / 256];
            float d2 = d * a.scales[(xb + 2 * step) / 256];
            float d3 = d * a.scales[(xb + 3 * step) / 256];
            for (int s = 0; s < 8; s++) {
                long qo = o + 16 + ((s >>> 1) << 5);
                int e = xb + s * 32;
                boolean high = (s & 1) != 0;
                FloatVector t0 = FloatVector.zero(F);
                FloatVector t1 = FloatVector.zero(F);
                FloatVector t2 = FloatVector.zero(F);
                FloatVector t3 = FloatVector.zero(F);
                for (int i = 0; i < 32; i += L) {
                    IntVector q = Vec.toInt(Vec.byteVector(w, qo + i));
                    FloatVector v = Vec.toFloat((high ? q.lanewise(VectorOperators.ASHR, 4) : q).and(15));
                    t0 = v.fma(FloatVector.fromArray(F, xq, e + i), t0);
                    t1 = v.fma(FloatVector.fromArray(F, xq, e + step + i), t1);
                    t2 = v.fma(FloatVector.fromArray(F, xq, e + 2 * step + i), t2);
                    t3 = v.fma(FloatVector.fromArray(F, xq, e + 3 * step + i), t3);
                }
                float sc = KScales.scale(u0, u2, s);
                acc0 = t0.fma(FloatVector.broadcast(F, d0 * sc), acc0);
                acc1 = t1.fma(FloatVector.broadcast(F, d1 * sc), acc1);
                acc2 = t2.fma(FloatVector.broadcast(F, d2 * sc), acc2);
                acc3 = t3.fma(FloatVector.broadcast(F, d3 * sc), acc3);
            }
        }
        out[at] = acc0.reduceLanes(VectorOperators.ADD) - min0;
        out[at + stride] = acc1.reduceLanes(VectorOperators.ADD) - min1;
        out[at + 2 * stride] = acc2.reduceLanes(VectorOperators.ADD) - min2;
        out[at + 3 * stride] = acc3.reduceLanes(VectorOperators.ADD) - min3;
    }

    /** dmin * dx * sum of min(s) * (sum of the activation quants of sub-block s), for the super-block at xb. */
    private static float minTerm(Activations a, int xb, float dmin, int u1, int u2) {
        return dmin * a.scales[xb / 256] * KScales.minDot(KScales.minsLow(u1), KScales.minsHigh(u1, u2), a.pairSums, xb / 32);
    }
}
