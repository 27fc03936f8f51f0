package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q2_K: super-blocks of 256 (84 bytes): 16 bytes of 4-bit scale|min pairs (one per 16 elements), 64 bytes of 2-bit
 * quants, fp16 d and dmin. Element e sits in byte 32*(e/128) + e%32 at bit 2*((e%128)/32); value =
 * d*scale*q - dmin*min. Dot against Q8_K activations.
 */
final class Q2_KKernel extends TypeKernel {
    static final int BLOCK_BYTES = 84;

    Q2_KKernel() {
        super(GgmlType.Q2_K, ActivationFormat.Q8_K);
    }

    static int quant(MemorySegment w, long block, int e) {
        int v = Mem.u8(w, block + 16 + ((e >>> 7) << 5) + (e & 31));
        return (v >>> (2 * ((e & 127) >>> 5))) & 3;
    }

    @Override
    void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset) {
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            float d = Mem.f16(w, o + 80);
            float dmin = Mem.f16(w, o + 82);
            for (int e = 0; e < 256; e++) {
                int sm = Mem.u8(w, o + (e >>> 4));
                dst[dstOffset + b * 256 + e] = d * (sm & 15) * quant(w, o, e) - dmin * (sm >>> 4);
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
            for (int g = 0; g < 16; g++) {
                int sm = Mem.u8(w, o + g);
                int gs = 0;
                for (int i = 0; i < 16; i++) {
                    int e = g * 16 + i;
                    gs += quant(w, o, e) * a.quants[xq + e];
                }
                sumi += (sm & 15) * gs;
                summs += (sm >>> 4) * a.groupSums[xq / 16 + g];
            }
            float dx = a.scales[xq / 256];
            sum += dx * Mem.f16(w, o + 80) * sumi - dx * Mem.f16(w, o + 82) * summs;
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
        float mins = 0f;
        for (int b = 0; b < cols / 256; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = xo + b * 256;
            float dx = a.scales[xb / 256];
            float d = Mem.f16(w, o + 80) * dx;
            int summs = 0;
            long sm0 = w.get(Mem.LONG, o);
            long sm1 = w.get(Mem.LONG, o + 8);
            for (int g = 0; g < 16; g++) {
                int sm = (int) ((g < 8 ? sm0 : sm1) >>> (8 * (g & 7))) & 0xff;
                summs += (sm >>> 4) * a.groupSums[xb / 16 + g];
                int shift = 2 * ((g >>> 1) & 3);
                long qo = o + 16 + ((g >>> 3) << 5) + ((g & 1) << 4);
                FloatVector t = FloatVector.zero(F);
                for (int i = 0; i < 16; i += L) {
                    IntVector q = Vec.toInt(Vec.byteVector(w, qo + i)).lanewise(VectorOperators.ASHR, shift).and(3);
                    t = Vec.toFloat(q).fma(FloatVector.fromArray(F, xq, xb + g * 16 + i), t);
                }
                acc = t.fma(FloatVector.broadcast(F, d * (sm & 15)), acc);
            }
            mins += Mem.f16(w, o + 82) * dx * summs;
        }
        return acc.reduceLanes(VectorOperators.ADD) - mins;
    }
}
