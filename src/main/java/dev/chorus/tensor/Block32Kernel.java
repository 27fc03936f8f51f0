package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * The legacy 32-element block family (Q8_0, Q4_0, Q5_0, Q4_1, Q5_1): each block starts with an fp16 scale d, its
 * value j is d * q_j (+ m for Q4_1/Q5_1), and it is dotted against Q8_0 (Q8_1) activations. The types differ only in how the integer q_j are
 * packed; the scalar block loops (dequantization and the reference dot) live here once. The vector kernels stay in each
 * type's file: 1- and 4-vector drivers shared by the family, with the unpacking picked by type (a switch or an
 * if-chain on a constant), made C2 box the vectors (up to 56 MB allocated per product, 3-5x slower), measured with
 * {@code KernelThroughput}.
 */
abstract sealed class Block32Kernel extends TypeKernel permits Q8_0Kernel, Q4_0Kernel, Q5_0Kernel, Q4_1Kernel, Q5_1Kernel {
    static final int Q8_0 = 0;
    static final int Q4_0 = 1;
    static final int Q5_0 = 2;
    static final int Q4_1 = 3;
    static final int Q5_1 = 4;

    private final int kind;

    Block32Kernel(GgmlType type, ActivationFormat activationFormat, int kind) {
        super(type, activationFormat);
        this.kind = kind;
    }

    private static long blockBytes(int kind) {
        return switch (kind) {
            case Q8_0 -> Q8_0Kernel.BLOCK_BYTES;
            case Q4_0 -> Q4_0Kernel.BLOCK_BYTES;
            case Q5_0 -> Q5_0Kernel.BLOCK_BYTES;
            case Q4_1 -> Q4_1Kernel.BLOCK_BYTES;
            default -> Q5_1Kernel.BLOCK_BYTES;
        };
    }

    /** q_j of the block at {@code block}. */
    private static int quant(int kind, MemorySegment w, long block, int j) {
        return switch (kind) {
            case Q8_0 -> Q8_0Kernel.quant(w, block, j);
            case Q4_0 -> Q4_0Kernel.quant(w, block, j);
            case Q5_0 -> Q5_0Kernel.quant(w, block, j);
            case Q4_1 -> Q4_1Kernel.quant(w, block, j);
            default -> Q5_1Kernel.quant(w, block, j);
        };
    }

    /** q_j .. q_{j+L-1} of the block at {@code block} as floats (j a multiple of L). */
    /** Q4_1 and Q5_1 follow d with an fp16 minimum m: value = d*q + m, dotted against Q8_1 activations. */
    private static boolean hasMin(int kind) {
        return kind >= Q4_1;
    }

    @Override
    final void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        long bytes = blockBytes(kind);
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + b * bytes;
            float d = Mem.f16(w, o);
            if (hasMin(kind)) {
                float m = Mem.f16(w, o + 2);
                for (int j = 0; j < 32; j++) {
                    dst[dstOffset + b * 32 + j] = d * quant(kind, w, o, j) + m;
                }
            } else {
                for (int j = 0; j < 32; j++) {
                    dst[dstOffset + b * 32 + j] = d * quant(kind, w, o, j);
                }
            }
        }
    }

    @Override
    final float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        long bytes = blockBytes(kind);
        int xo = a.offset(vector);
        float sum = 0f;
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + b * bytes;
            int sumi = 0;
            for (int j = 0; j < 32; j++) {
                sumi += quant(kind, w, o, j) * a.quants[xo + b * 32 + j];
            }
            int xb = xo / 32 + b;
            float block = Mem.f16(w, o) * a.scales[xb] * sumi;
            sum += hasMin(kind) ? block + Mem.f16(w, o + 2) * a.blockSums[xb] : block;
        }
        return sum;
    }
}
