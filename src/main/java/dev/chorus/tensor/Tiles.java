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
}
