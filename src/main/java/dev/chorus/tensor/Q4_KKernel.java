package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.ByteVector;
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
final class Q4_KKernel extends TypeKernel {
    static final int BLOCK_BYTES = 144;

    @Override
    GgmlType type() {
        return GgmlType.Q4_K;
    }

    @Override
    ActivationFormat activationFormat() {
        return ActivationFormat.Q8_K;
    }

    static int quant(MemorySegment w, long block, int e) {
        int v = Mem.u8(w, block + 16 + ((e >>> 6) << 5) + (e & 31));
        return ((e >>> 5) & 1) == 0 ? v & 15 : v >>> 4;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            float d = Mem.f16(w, o);
            float dmin = Mem.f16(w, o + 2);
            for (int e = 0; e < 256; e++) {
                int s = e >>> 5;
                dst[dstOffset + b * 256 + e] =
                        d * KScales.scale(w, o + 4, s) * quant(w, o, e) - dmin * KScales.min(w, o + 4, s);
            }
        }
    }

    @Override
    float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        int xo = a.offset(vector);
        float sum = 0f;
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xq = xo + b * 256;
            int sumi = 0;
            int summs = 0;
            for (int s = 0; s < 8; s++) {
                int ss = 0;
                for (int i = 0; i < 32; i++) {
                    int e = s * 32 + i;
                    ss += quant(w, o, e) * a.quants[xq + e];
                }
                sumi += KScales.scale(w, o + 4, s) * ss;
                summs += KScales.min(w, o + 4, s) * (a.groupSums[xq / 16 + 2 * s] + a.groupSums[xq / 16 + 2 * s + 1]);
            }
            float dx = a.scales[xq / 256];
            sum += dx * Mem.f16(w, o) * sumi - dx * Mem.f16(w, o + 2) * summs;
        }
        return sum;
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
            int summs = 0;
            for (int c = 0; c < 4; c++) {
                long qo = o + 16 + (c << 5);
                int s0 = 2 * c;
                FloatVector t0 = FloatVector.zero(F);
                FloatVector t1 = FloatVector.zero(F);
                for (int i = 0; i < 32; i += L) {
                    ByteVector q = Vec.byteVector(w, qo + i);
                    t0 = Vec.toFloat(q.and((byte) 15)).fma(FloatVector.fromArray(F, xq, xb + s0 * 32 + i), t0);
                    t1 = Vec.toFloat(q.lanewise(VectorOperators.LSHR, 4))
                            .fma(FloatVector.fromArray(F, xq, xb + s0 * 32 + 32 + i), t1);
                }
                acc = t0.fma(FloatVector.broadcast(F, d * KScales.scale(w, o + 4, s0)), acc);
                acc = t1.fma(FloatVector.broadcast(F, d * KScales.scale(w, o + 4, s0 + 1)), acc);
                int g = xb / 16 + 2 * s0;
                summs += KScales.min(w, o + 4, s0) * (a.groupSums[g] + a.groupSums[g + 1])
                        + KScales.min(w, o + 4, s0 + 1) * (a.groupSums[g + 2] + a.groupSums[g + 3]);
            }
            mins += Mem.f16(w, o + 2) * dx * summs;
        }
        return acc.reduceLanes(VectorOperators.ADD) - mins;
    }
}
