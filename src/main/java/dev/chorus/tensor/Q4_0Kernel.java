package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * Q4_0: blocks of 32 with an fp16 scale and 16 bytes of nibbles (18 bytes); element j &lt; 16 is the low nibble of
 * byte j, element j + 16 the high nibble, both minus 8. Dot against Q8_0 activations.
 */
final class Q4_0Kernel extends TypeKernel {
    static final int BLOCK_BYTES = 18;

    @Override
    GgmlType type() {
        return GgmlType.Q4_0;
    }

    @Override
    ActivationFormat activationFormat() {
        return ActivationFormat.Q8_0;
    }

    static int quant(MemorySegment w, long block, int j) {
        int v = Mem.u8(w, block + 2 + (j & 15));
        return (j < 16 ? v & 15 : v >>> 4) - 8;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            float d = Mem.f16(w, o);
            for (int j = 0; j < 32; j++) {
                dst[dstOffset + b * 32 + j] = d * quant(w, o, j);
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
                sumi += quant(w, o, j) * a.quants[xo + b * 32 + j];
            }
            sum += Mem.f16(w, o) * a.scales[xo / 32 + b] * sumi;
        }
        return sum;
    }
}
