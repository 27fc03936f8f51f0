package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * The K-quants with 6-bit scales and mins (Q4_K, Q5_K): super-blocks of 256 that start with fp16 d and dmin and the
 * 12 bytes of {@link KScales}; element e has value d*scale(e/32)*q_e - dmin*min(e/32), dotted against Q8_K activations.
 * The types differ only in how q_e is packed; the scalar block loops (dequantization and the reference dot) live here
 * once. The vector kernels stay in each type's file: a vector loop shared across types, with the unpacking picked per
 * type, made C2 box the vectors (see {@link Block32Kernel}).
 */
abstract sealed class KScaledKernel extends TypeKernel permits Q4_KKernel, Q5_KKernel {
    static final int Q4_K = 0;
    static final int Q5_K = 1;

    private final int kind;

    KScaledKernel(GgmlType type, ActivationFormat activationFormat, int kind) {
        super(type, activationFormat);
        this.kind = kind;
    }

    private static long blockBytes(int kind) {
        return kind == Q4_K ? Q4_KKernel.BLOCK_BYTES : Q5_KKernel.BLOCK_BYTES;
    }

    /** q_e of the super-block at {@code block} (before scale and min). */
    private static int quant(int kind, MemorySegment w, long block, int e) {
        return kind == Q4_K ? Q4_KKernel.quant(w, block, e) : Q5_KKernel.quant(w, block, e);
    }

    @Override
    final void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        long bytes = blockBytes(kind);
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + b * bytes;
            float d = Mem.f16(w, o);
            float dmin = Mem.f16(w, o + 2);
            for (int e = 0; e < 256; e++) {
                int s = e >>> 5;
                dst[dstOffset + b * 256 + e] =
                        d * KScales.scale(w, o + 4, s) * quant(kind, w, o, e) - dmin * KScales.min(w, o + 4, s);
            }
        }
    }

    @Override
    final float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        long bytes = blockBytes(kind);
        int xo = a.offset(vector);
        float sum = 0f;
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + b * bytes;
            int xq = xo + b * 256;
            int sumi = 0;
            int summs = 0;
            for (int s = 0; s < 8; s++) {
                int ss = 0;
                for (int i = 0; i < 32; i++) {
                    int e = s * 32 + i;
                    ss += quant(kind, w, o, e) * a.quants[xq + e];
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
