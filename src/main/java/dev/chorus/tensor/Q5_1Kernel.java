package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q5_1: blocks of 32 with fp16 scale d and minimum m, a 32-bit mask of fifth bits and 16 bytes of nibbles (24 bytes);
 * value = d*q + m. Dot against Q8_1 activations.
 */
final class Q5_1Kernel extends Block32Kernel {
    static final int BLOCK_BYTES = 24;

    Q5_1Kernel() {
        super(GgmlType.Q5_1, ActivationFormat.Q8_1, Q5_1);
    }

    static int quant(MemorySegment w, long block, int j) {
        int v = Mem.u8(w, block + 8 + (j & 15));
        int low = j < 16 ? v & 15 : v >>> 4;
        return low | (((Mem.i32(w, block + 4) >>> j) & 1) << 4);
    }

    @Override
    float dot(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        if (!Vec.ENABLED) {
            return dotReference(w, rowOffset, a, vector, cols);
        }
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int xo = a.offset(vector);
        FloatVector acc = FloatVector.zero(F);
        float mins = 0f;
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = xo + b * 32;
            int qh = Mem.i32(w, o + 4);
            FloatVector t = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = Vec.toInt(Vec.byteVector(w, o + 8 + j));
                IntVector lo = q.and(15).or(Vec.highBits(qh >>> j, 4));
                IntVector hi = q.lanewise(VectorOperators.ASHR, 4).and(15).or(Vec.highBits(qh >>> (16 + j), 4));
                t = Vec.toFloat(lo).fma(FloatVector.fromArray(F, xq, xb + j), t);
                t = Vec.toFloat(hi).fma(FloatVector.fromArray(F, xq, xb + 16 + j), t);
            }
            acc = t.fma(FloatVector.broadcast(F, Mem.f16(w, o) * xs[xb / 32]), acc);
            mins += Mem.f16(w, o + 2) * a.blockSums[xb / 32];
        }
        return acc.reduceLanes(VectorOperators.ADD) + mins;
    }
}
