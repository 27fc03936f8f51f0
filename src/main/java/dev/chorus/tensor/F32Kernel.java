package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/** F32 weights against plain float activations. */
final class F32Kernel extends TypeKernel {
    @Override
    GgmlType type() {
        return GgmlType.F32;
    }

    @Override
    ActivationFormat activationFormat() {
        return ActivationFormat.F32;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int i = 0; i < cols; i++) {
            dst[dstOffset + i] = Mem.f32(w, rowOffset + 4L * i);
        }
    }

    @Override
    float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        float[] x = a.values;
        int xo = a.offset(vector);
        float sum = 0f;
        for (int i = 0; i < cols; i++) {
            sum += Mem.f32(w, rowOffset + 4L * i) * x[xo + i];
        }
        return sum;
    }
}
