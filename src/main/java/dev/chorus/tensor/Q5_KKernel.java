package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q5_K: super-blocks of 256 (176 bytes): fp16 d and dmin, 12 bytes of 6-bit scales/mins, 32 bytes of fifth bits
 * (bit e/32 of byte e%32), 128 bytes of nibbles laid out as in Q4_K; value = d*scale*q - dmin*min. Dot against Q8_K.
 */
final class Q5_KKernel extends KScaledKernel {
    static final int BLOCK_BYTES = 176;

    Q5_KKernel() {
        super(GgmlType.Q5_K, ActivationFormat.Q8_K, Q5_K);
    }

    static int quant(MemorySegment w, long block, int e) {
        int v = Mem.u8(w, block + 48 + ((e >>> 6) << 5) + (e & 31));
        int low = ((e >>> 5) & 1) == 0 ? v & 15 : v >>> 4;
        int high = (Mem.u8(w, block + 16 + (e & 31)) >>> (e >>> 5)) & 1;
        return low | (high << 4);
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
                long qo = o + 48 + (c << 5);
                int s0 = 2 * c;
                int sc = (c < 2 ? scLow : scHigh) >>> (16 * (c & 1));
                FloatVector t0 = FloatVector.zero(F);
                FloatVector t1 = FloatVector.zero(F);
                for (int i = 0; i < 32; i += L) {
                    IntVector q = Vec.toInt(Vec.byteVector(w, qo + i));
                    IntVector h = Vec.toInt(Vec.byteVector(w, o + 16 + i));
                    IntVector lo = q.and(15).or(h.lanewise(VectorOperators.ASHR, s0).and(1).lanewise(VectorOperators.LSHL, 4));
                    IntVector hi = q.lanewise(VectorOperators.ASHR, 4).and(15)
                            .or(h.lanewise(VectorOperators.ASHR, s0 + 1).and(1).lanewise(VectorOperators.LSHL, 4));
                    t0 = Vec.toFloat(lo).fma(FloatVector.fromArray(F, xq, xb + s0 * 32 + i), t0);
                    t1 = Vec.toFloat(hi).fma(FloatVector.fromArray(F, xq, xb + s0 * 32 + 32 + i), t1);
                }
                acc = t0.fma(FloatVector.broadcast(F, d * (sc & 0xff)), acc);
                acc = t1.fma(FloatVector.broadcast(F, d * ((sc >>> 8) & 0xff)), acc);
            }
        }
        return acc.reduceLanes(VectorOperators.ADD) - mins;
    }
}
