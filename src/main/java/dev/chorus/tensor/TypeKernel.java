package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * The kernels of one ggml weight type: exact dequantization, a scalar reference dot product and a (vectorized) fast
 * dot product, both against activations prepared in {@link #activationFormat()}. A row starts at a byte offset in the
 * weight segment and holds {@code cols} elements (a whole number of blocks).
 */
abstract class TypeKernel {
    private final GgmlType type;
    private final ActivationFormat activationFormat;

    TypeKernel(GgmlType type, ActivationFormat activationFormat) {
        this.type = type;
        this.activationFormat = activationFormat;
    }

    final GgmlType type() {
        return type;
    }

    final ActivationFormat activationFormat() {
        return activationFormat;
    }

    abstract void dequantizeRow(MemorySegment w, long rowOffset, int cols, float[] dst, int dstOffset);

    /** Scalar reference: weight row . activation vector {@code vector} of a. */
    abstract float dotReference(MemorySegment w, long rowOffset, Activations a, int vector, int cols);

    /** Fast dot product; must agree with {@link #dotReference} up to float summation order. */
    float dot(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        return dotReference(w, rowOffset, a, vector, cols);
    }

    /**
     * out[b*outStride + outIndex] = row . vector b, for the vectors b in [first, end) of a, in tiles of four vectors so
     * that each decoded weight vector is reused four times while it is in registers.
     */
    void dotBatch(MemorySegment w, long rowOffset, Activations a, int first, int end, int cols, float[] out, int outIndex,
                  int outStride) {
        int b = first;
        if (Vec.ENABLED) {
            for (; b + 4 <= end; b += 4) {
                dot4(w, rowOffset, a, b, cols, out, b * outStride + outIndex, outStride);
            }
        }
        for (; b < end; b++) {
            out[b * outStride + outIndex] = dot(w, rowOffset, a, b, cols);
        }
    }

    /** out[at + k*stride] = row . vector (first + k) for k in 0..3; kernels override it to share weight decoding. */
    void dot4(MemorySegment w, long rowOffset, Activations a, int first, int cols, float[] out, int at, int stride) {
        for (int k = 0; k < 4; k++) {
            out[at + k * stride] = dot(w, rowOffset, a, first + k, cols);
        }
    }

    /** Whether {@link #decodeRow} is implemented: batched products then run {@link DecodedTile} on decoded rows. */
    boolean decodesRows() {
        return false;
    }

    /**
     * Writes the integer values q_j of the row at w[rowOffset..] (a heap copy of its bytes) as floats to q[qOff..] and
     * the scale of each 32-block to d[dOff..] (types whose value is d*q_j and whose dot is d * xs * sum(q x) per
     * block). A heap copy because scalar reads of a mapped segment kept a bounds check call in the decoders once
     * compiled inside a whole model (10 % of a prefill).
     */
    void decodeRow(byte[] w, int rowOffset, int cols, float[] q, int qOff, float[] d, int dOff) {
        throw new UnsupportedOperationException(type() + " rows are not decoded");
    }
}
