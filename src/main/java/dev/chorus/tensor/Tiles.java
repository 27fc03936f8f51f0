package dev.chorus.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Shared tail of the register-tile kernels (called once per tile, after the vector loop). */
final class Tiles {
    private Tiles() {
    }

    /** out[at + k*stride] = the lane sum of accumulator k, for the four vectors of one row. */
    static void store(float[] out, int at, int stride, FloatVector s0, FloatVector s1, FloatVector s2, FloatVector s3) {
        out[at] = s0.reduceLanes(VectorOperators.ADD);
        out[at + stride] = s1.reduceLanes(VectorOperators.ADD);
        out[at + 2 * stride] = s2.reduceLanes(VectorOperators.ADD);
        out[at + 3 * stride] = s3.reduceLanes(VectorOperators.ADD);
    }

    /** out[v_k*stride + at] = the lane sum of accumulator k, for vectors v0..v3 of one row (repeats allowed). */
    static void store(float[] out, int stride, int at, int v0, int v1, int v2, int v3, FloatVector s0, FloatVector s1,
                      FloatVector s2, FloatVector s3) {
        out[v0 * stride + at] = s0.reduceLanes(VectorOperators.ADD);
        out[v1 * stride + at] = s1.reduceLanes(VectorOperators.ADD);
        out[v2 * stride + at] = s2.reduceLanes(VectorOperators.ADD);
        out[v3 * stride + at] = s3.reduceLanes(VectorOperators.ADD);
    }
}
