package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.ShortVector;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/** BF16 weights against activations rounded to BF16, accumulated in F32 like ggml. */
final class Bf16Kernel extends FloatKernel {
    Bf16Kernel() {
        super(GgmlType.BF16, ActivationFormat.BF16, BF16);
    }

    /** Element i of the row. */
    static float element(MemorySegment w, long rowOffset, int i) {
        return Bf16.toFloat(w.get(Mem.SHORT, rowOffset + 2L * i));
    }

    /** Elements i .. i+L-1 of the row. */
    static FloatVector lanes(MemorySegment w, long rowOffset, int i) {
        return Vec.bf16ToFloat(ShortVector.fromMemorySegment(Vec.S, w, rowOffset + 2L * i, Vec.LE));
    }

    /** Written out per type: a loop shared by the family, with the lane loader picked per type, boxes vectors. */
    @Override
    float dot(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        if (!Vec.ENABLED) {
            return dotReference(w, rowOffset, a, vector, cols);
        }
        float[] x = a.values;
        int xo = a.offset(vector);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + 2 * L <= cols; i += 2 * L) {
            acc0 = lanes(w, rowOffset, i).fma(FloatVector.fromArray(F, x, xo + i), acc0);
            acc1 = lanes(w, rowOffset, i + L).fma(FloatVector.fromArray(F, x, xo + i + L), acc1);
        }
        for (; i + L <= cols; i += L) {
            acc0 = lanes(w, rowOffset, i).fma(FloatVector.fromArray(F, x, xo + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            sum += element(w, rowOffset, i) * x[xo + i];
        }
        return sum;
    }
}
