package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/** F32 weights against plain float activations. */
final class F32Kernel extends FloatKernel {
    F32Kernel() {
        super(GgmlType.F32, ActivationFormat.F32, F32);
    }

    /** Element i of the row. */
    static float element(MemorySegment w, long rowOffset, int i) {
        return Mem.f32(w, rowOffset + 4L * i);
    }

    /** Elements i .. i+L-1 of the row. */
    static FloatVector lanes(MemorySegment w, long rowOffset, int i) {
        return FloatVector.fromMemorySegment(Vec.F, w, rowOffset + 4L * i, Vec.LE);
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
