package dev.chorus.tensor;

import java.lang.foreign.MemorySegment;

/**
 * Per-thread scratch holding two weight rows of a 32-block type decoded to their integer values (as floats) and
 * block scales, reused across calls (grows on demand, allocates nothing once grown).
 */
final class DecodedRows {
    private static final ThreadLocal<DecodedRows> PER_THREAD = ThreadLocal.withInitial(DecodedRows::new);

    /** Row 0 at 0, row 1 at {@link #rowStride()}. */
    float[] quants = new float[0];
    /** Row 0 at 0, row 1 at rowStride/32. */
    float[] scales = new float[0];
    private int rowStride;

    static DecodedRows forThread(int cols) {
        DecodedRows rows = PER_THREAD.get();
        if (rows.quants.length < 2 * cols) {
            rows.quants = new float[2 * cols];
            rows.scales = new float[2 * cols / 32];
        }
        rows.rowStride = cols;
        return rows;
    }

    /** Offset of the second row in {@link #quants} (its scales start at rowStride/32). */
    int rowStride() {
        return rowStride;
    }

    /** Decodes the rows at offset0 and offset1 (which may be the same row) with the type's decoder. */
    void decode(TypeKernel kernel, MemorySegment w, long offset0, long offset1, int cols) {
        kernel.decodeRow(w, offset0, cols, quants, 0, scales, 0);
        kernel.decodeRow(w, offset1, cols, quants, cols, scales, cols / 32);
    }
}
