package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * The float weight family (F32, F16, BF16): one element per value, activations rounded to the same format, the dot
 * accumulated in F32 like ggml. The types differ only in how they load one element and one vector of L lanes; the
 * scalar row loops live here once. The vector dot stays in each type's file: a loop shared by the family, with the
 * lane loader picked by type (a switch, an if-chain or a virtual call), made C2 box the vectors (megabytes allocated
 * per product, 3-6x slower), measured with {@code KernelThroughput}.
 */
abstract sealed class FloatKernel extends TypeKernel permits F32Kernel, F16Kernel, Bf16Kernel {
    static final int F32 = 0;
    static final int F16 = 1;
    static final int BF16 = 2;

    private final int kind;

    FloatKernel(GgmlType type, ActivationFormat activationFormat, int kind) {
        super(type, activationFormat);
        this.kind = kind;
    }

    private static float element(int kind, MemorySegment w, long rowOffset, int i) {
        return switch (kind) {
            case F32 -> F32Kernel.element(w, rowOffset, i);
            case F16 -> F16Kernel.element(w, rowOffset, i);
            default -> Bf16Kernel.element(w, rowOffset, i);
        };
    }

    @Override
    final void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int i = 0; i < cols; i++) {
            dst[dstOffset + i] = element(kind, w, rowOffset, i);
        }
    }

    @Override
    final float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        float[] x = a.values;
        int xo = a.offset(vector);
        float sum = 0f;
        for (int i = 0; i < cols; i++) {
            sum += element(kind, w, rowOffset, i) * x[xo + i];
        }
        return sum;
    }
}
