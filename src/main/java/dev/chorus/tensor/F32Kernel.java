package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

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
            acc0 = FloatVector.fromMemorySegment(F, w, rowOffset + 4L * (i), Vec.LE).fma(FloatVector.fromArray(F, x, xo + i), acc0);
            acc1 = FloatVector.fromMemorySegment(F, w, rowOffset + 4L * (i + L), Vec.LE).fma(FloatVector.fromArray(F, x, xo + i + L), acc1);
        }
        for (; i + L <= cols; i += L) {
            acc0 = FloatVector.fromMemorySegment(F, w, rowOffset + 4L * (i), Vec.LE).fma(FloatVector.fromArray(F, x, xo + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < cols; i++) {
            sum += Mem.f32(w, rowOffset + 4L * i) * x[xo + i];
        }
        return sum;
    }
}
