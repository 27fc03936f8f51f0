package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/** BF16 weights against activations rounded to BF16, accumulated in F32 like ggml. */
final class Bf16Kernel extends TypeKernel {
    @Override
    GgmlType type() {
        return GgmlType.BF16;
    }

    @Override
    ActivationFormat activationFormat() {
        return ActivationFormat.BF16;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int i = 0; i < cols; i++) {
            dst[dstOffset + i] = Bf16.toFloat(w.get(Mem.SHORT, rowOffset + 2L * i));
        }
    }

    @Override
    float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        float[] x = a.values;
        int xo = a.offset(vector);
        float sum = 0f;
        for (int i = 0; i < cols; i++) {
            sum += Bf16.toFloat(w.get(Mem.SHORT, rowOffset + 2L * i)) * x[xo + i];
        }
        return sum;
    }
}
