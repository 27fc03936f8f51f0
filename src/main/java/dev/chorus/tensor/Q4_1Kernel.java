package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q4_1: blocks of 32 with fp16 scale d and minimum m, then 16 bytes of nibbles (20 bytes); value = d*q + m.
 * Dot against Q8_1 activations: d*dx*sum(q*qx) + m*(dx*sum(qx)).
 */
final class Q4_1Kernel extends Block32Kernel {
    static final int BLOCK_BYTES = 20;

    Q4_1Kernel() {
        super(GgmlType.Q4_1, ActivationFormat.Q8_1, Q4_1);
    }

    static int quant(MemorySegment w, long block, int j) {
        int v = Mem.u8(w, block + 4 + (j & 15));
        return j < 16 ? v & 15 : v >>> 4;
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
            FloatVector t = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = Vec.toInt(Vec.byteVector(w, o + 4 + j));
                t = Vec.toFloat(q.and(15)).fma(FloatVector.fromArray(F, xq, xb + j), t);
                t = Vec.toFloat(q.lanewise(VectorOperators.ASHR, 4).and(15)).fma(FloatVector.fromArray(F, xq, xb + 16 + j), t);
            }
            acc = t.fma(FloatVector.broadcast(F, Mem.f16(w, o) * xs[xb / 32]), acc);
            mins += Mem.f16(w, o + 2) * a.blockSums[xb / 32];
        }
        return acc.reduceLanes(VectorOperators.ADD) + mins;
    }
}
