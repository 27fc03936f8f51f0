package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q3_K: super-blocks of 256 (110 bytes): 32 bytes of high-bit masks, 64 bytes of 2-bit quants, 12 bytes of sixteen
 * 6-bit signed scales (offset 32), fp16 d. Element e: low bits as in Q2_K, high bit at bit 4*(e/128) + (e%128)/32 of
 * mask byte e%32; value = d*(scale-32)*(q - (high ? 0 : 4)). Dot against Q8_K activations.
 */
final class Q3_KKernel extends TypeKernel {
    static final int BLOCK_BYTES = 110;

    Q3_KKernel() {
        super(GgmlType.Q3_K, ActivationFormat.Q8_K);
    }

    static int quant(MemorySegment w, long block, int e) {
        int n = e >>> 7;
        int j = (e & 127) >>> 5;
        int l = e & 31;
        int low = (Mem.u8(w, block + 32 + (n << 5) + l) >>> (2 * j)) & 3;
        int high = (Mem.u8(w, block + l) >>> (4 * n + j)) & 1;
        return low - (high != 0 ? 0 : 4);
    }

    /** The signed scale of group i (16 elements), -32..31. */
    static int scale(MemorySegment w, long block, int i) {
        long s = block + 96;
        int low = i < 8 ? Mem.u8(w, s + i) & 15 : Mem.u8(w, s + i - 8) >>> 4;
        int high = (Mem.u8(w, s + 8 + (i & 3)) >>> (2 * (i >>> 2))) & 3;
        return (low | (high << 4)) - 32;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            float d = Mem.f16(w, o + 108);
            for (int e = 0; e < 256; e++) {
                dst[dstOffset + b * 256 + e] = d * scale(w, o, e >>> 4) * quant(w, o, e);
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
            for (int g = 0; g < 16; g++) {
                int gs = 0;
                for (int i = 0; i < 16; i++) {
                    int e = g * 16 + i;
                    gs += quant(w, o, e) * a.quants[xq + e];
                }
                sumi += scale(w, o, g) * gs;
            }
            sum += a.scales[xq / 256] * Mem.f16(w, o + 108) * sumi;
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
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = xo + b * 256;
            float d = Mem.f16(w, o + 108) * a.scales[xb / 256];
            int u0 = Mem.i32(w, o + 96);
            int u1 = Mem.i32(w, o + 100);
            int u2 = Mem.i32(w, o + 104);
            for (int g = 0; g < 16; g++) {
                // the scale decoded inline: a call here would force the live vectors to be boxed
                int lowBits = (g & 4) == 0 ? u0 : u1;
                int sc = (((lowBits >>> (8 * (g & 3) + ((g & 8) >>> 1))) & 15)
                        | (((u2 >>> (8 * (g & 3) + 2 * (g >>> 2))) & 3) << 4)) - 32;
                int n = g >>> 3;
                int j = (g >>> 1) & 3;
                int l0 = (g & 1) << 4;
                FloatVector t = FloatVector.zero(F);
                for (int i = 0; i < 16; i += L) {
                    IntVector low = Vec.toInt(Vec.byteVector(w, o + 32 + (n << 5) + l0 + i))
                            .lanewise(VectorOperators.ASHR, 2 * j).and(3);
                    IntVector high = Vec.toInt(Vec.byteVector(w, o + l0 + i)).lanewise(VectorOperators.ASHR, 4 * n + j);
                    t = Vec.toFloat(low.add(high.and(1).mul(4)).sub(4)).fma(FloatVector.fromArray(F, xq, xb + g * 16 + i), t);
                }
                acc = t.fma(FloatVector.broadcast(F, d * sc), acc);
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
