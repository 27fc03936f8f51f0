package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

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
}
