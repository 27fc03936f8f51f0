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

    /** Vectors per register tile of {@link #dotBatch}. */
    static final int TILE_VECTORS = 4;

    /**
     * out[b*stride + out0] = row0 . vector b and out[b*stride + out1] = row1 . vector b for the vectors b in
     * [first, end) of a; row1 == row0 (and out1 == out0) for a last odd row. Tiles of {@link #TILE_VECTORS} vectors
     * (two rows x four vectors where the type has {@link #dot2x4}, so each activation load feeds two FMAs). A vector's
     * result does not depend on which others share its batch: a last partial group overlaps the one before (recomputing
     * identical values; it may reach back before {@code first}, into the previous chunk); products of three vectors
     * fill the two-row tile's fourth slot with the third vector again (still 1.3x three single products), and smaller
     * products go one by one through {@link #dot}.
     */
    final void dotBatch(MemorySegment w, long row0, long row1, Activations a, int first, int end, float[] out, int out0,
                        int out1, int stride) {
        int cols = a.cols();
        if (!Vec.ENABLED || a.count() < (tilesRowPairs() ? TILE_VECTORS - 1 : TILE_VECTORS)) {
            for (int b = first; b < end; b++) {
                out[b * stride + out0] = dot(w, row0, a, b, cols);
                if (row1 != row0) {
                    out[b * stride + out1] = dot(w, row1, a, b, cols);
                }
            }
            return;
        }
        int lastGroup = Math.max(0, end - TILE_VECTORS);
        if (tilesRowPairs()) {
            HeapRowPair pair = HeapRowPair.copy(w, row0, row1, (int) type().bytesFor(cols));
            for (int b = first; b < end; b += TILE_VECTORS) {
                int b0 = Math.min(b, lastGroup);
                dot2x4(pair.bytes, 0, pair.row1, a, b0, end - 1, out, out0, out1, stride);
            }
            return;
        }
        for (int b = first; b < end; b += TILE_VECTORS) {
            int b0 = Math.min(b, lastGroup);
            dot4(w, row0, a, b0, cols, out, b0 * stride + out0, stride);
            if (row1 != row0) {
                dot4(w, row1, a, b0, cols, out, b0 * stride + out1, stride);
            }
        }
    }

    /** out[at + k*stride] = row . vector (first + k) for k in 0..3; kernels override it to share weight decoding. */
    void dot4(MemorySegment w, long rowOffset, Activations a, int first, int cols, float[] out, int at, int stride) {
        for (int k = 0; k < TILE_VECTORS; k++) {
            out[at + k * stride] = dot(w, rowOffset, a, first + k, cols);
        }
    }

    /** Whether the type implements {@link #dot2x4} (then {@link #dot4} is not used). */
    boolean tilesRowPairs() {
        return false;
    }

    /**
     * out[v*stride + out0] = row0 . vector v and out[v*stride + out1] = row1 . vector v for the vectors
     * v = min(first + k, last), k in 0..3 (a slot past {@code last} repeats it), for two rows of a heap copy of weight
     * bytes (row1 == row0 allowed). Each (row, vector) must go through the same arithmetic as {@link #dot} up to float
     * summation order, and the same arithmetic whatever the other row and vectors of the tile are.
     */
    void dot2x4(byte[] w, int row0, int row1, Activations a, int first, int last, float[] out, int out0, int out1,
                int stride) {
        throw new UnsupportedOperationException(type() + " has no two-row tile");
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
