package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q6_K: super-blocks of 256 (210 bytes): 128 bytes of low nibbles, 64 bytes of 2-bit high parts, sixteen int8 scales,
 * fp16 d. For element e (half n = e/128, quarter k = (e%128)/32, l = e%32): low nibble of byte 64n + l + 32*(k&1)
 * (high nibble when k &gt;= 2), high bits at 2k of byte 128 + 32n + l; value = d*scale[e/16]*(q - 32). Dot against Q8_K.
 */
final class Q6_KKernel extends TypeKernel {
    static final int BLOCK_BYTES = 210;

    Q6_KKernel() {
        super(GgmlType.Q6_K, ActivationFormat.Q8_K);
    }

    static int quant(MemorySegment w, long block, int e) {
        int n = e >>> 7;
        int k = (e & 127) >>> 5;
        int l = e & 31;
        int v = Mem.u8(w, block + (n << 6) + l + ((k & 1) << 5));
        int low = k >= 2 ? v >>> 4 : v & 15;
        int high = (Mem.u8(w, block + 128 + (n << 5) + l) >>> (2 * k)) & 3;
        return (low | (high << 4)) - 32;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            float d = Mem.f16(w, o + 208);
            for (int e = 0; e < 256; e++) {
                dst[dstOffset + b * 256 + e] = d * Mem.i8(w, o + 192 + (e >>> 4)) * quant(w, o, e);
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
                sumi += Mem.i8(w, o + 192 + g) * gs;
            }
            sum += a.scales[xq / 256] * Mem.f16(w, o + 208) * sumi;
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
            float d = Mem.f16(w, o + 208) * a.scales[xb / 256];
            for (int n = 0; n < 2; n++) {
                long scales = w.get(Mem.LONG, o + 192 + 8 * n);
                for (int k = 0; k < 4; k++) {
                    long lo = o + (n << 6) + ((k & 1) << 5);
                    long ho = o + 128 + (n << 5);
                    int e0 = n * 128 + k * 32;
                    for (int i = 0; i < 32; i += L) {
                        IntVector nib = Vec.toInt(Vec.byteVector(w, lo + i)).lanewise(VectorOperators.ASHR, 4 * (k >>> 1))
                                .and(15);
                        IntVector h = Vec.toInt(Vec.byteVector(w, ho + i)).lanewise(VectorOperators.ASHR, 2 * k).and(3)
                                .lanewise(VectorOperators.LSHL, 4);
                        FloatVector p = Vec.toFloat(nib.or(h).sub(32)).mul(FloatVector.fromArray(F, xq, xb + e0 + i));
                        acc = p.fma(FloatVector.broadcast(F, d * (byte) (scales >>> (8 * (((e0 + i) >>> 4) & 7)))), acc);
                    }
                }
            }
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    void dot4(MemorySegment w, long rowOffset, Activations a, int first, int cols, float[] out, int at, int stride) {
        float[] xq = a.quantFloats;
        int x0 = a.offset(first);
        int step = a.offset(1);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = x0 + b * 256;
            float d = Mem.f16(w, o + 208);
            float d0 = d * a.scales[xb / 256];
            float d1 = d * a.scales[(xb + step) / 256];
            float d2 = d * a.scales[(xb + 2 * step) / 256];
            float d3 = d * a.scales[(xb + 3 * step) / 256];
            for (int n = 0; n < 2; n++) {
                long scales = w.get(Mem.LONG, o + 192 + 8 * n);
                for (int k = 0; k < 4; k++) {
                    long lo = o + (n << 6) + ((k & 1) << 5);
                    long ho = o + 128 + (n << 5);
                    int e0 = xb + n * 128 + k * 32;
                    for (int i = 0; i < 32; i += L) {
                        IntVector nib = Vec.toInt(Vec.byteVector(w, lo + i)).lanewise(VectorOperators.ASHR, 4 * (k >>> 1))
                                .and(15);
                        IntVector h = Vec.toInt(Vec.byteVector(w, ho + i)).lanewise(VectorOperators.ASHR, 2 * k).and(3)
                                .lanewise(VectorOperators.LSHL, 4);
                        float sc = (byte) (scales >>> (8 * (((n * 128 + k * 32 + i) >>> 4) & 7)));
                        FloatVector q = Vec.toFloat(nib.or(h).sub(32)).mul(sc);
                        acc0 = q.fma(FloatVector.fromArray(F, xq, e0 + i).mul(d0), acc0);
                        acc1 = q.fma(FloatVector.fromArray(F, xq, e0 + step + i).mul(d1), acc1);
                        acc2 = q.fma(FloatVector.fromArray(F, xq, e0 + 2 * step + i).mul(d2), acc2);
                        acc3 = q.fma(FloatVector.fromArray(F, xq, e0 + 3 * step + i).mul(d3), acc3);
                    }
                }
            }
        }
        out[at] = acc0.reduceLanes(VectorOperators.ADD);
        out[at + stride] = acc1.reduceLanes(VectorOperators.ADD);
        out[at + 2 * stride] = acc2.reduceLanes(VectorOperators.ADD);
        out[at + 3 * stride] = acc3.reduceLanes(VectorOperators.ADD);
    }
}
