package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/** Q8_0: blocks of 32 int8 with an fp16 scale (34 bytes); dot against Q8_0 activations. */
final class Q8_0Kernel extends TypeKernel {
    static final int BLOCK_BYTES = 34;

    @Override
    GgmlType type() {
        return GgmlType.Q8_0;
    }

    @Override
    ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            float d = Mem.f16(w, o);
            for (int j = 0; j < 32; j++) {
                dst[dstOffset + b * 32 + j] = d * Mem.i8(w, o + 2 + j);
            }
        }
    }

    @Override
    float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        int xo = a.offset(vector);
        float sum = 0f;
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int sumi = 0;
            for (int j = 0; j < 32; j++) {
                sumi += Mem.i8(w, o + 2 + j) * a.quants[xo + b * 32 + j];
            }
            sum += Mem.f16(w, o) * a.scales[xo / 32 + b] * sumi;
        }
        return sum;
    }
}
