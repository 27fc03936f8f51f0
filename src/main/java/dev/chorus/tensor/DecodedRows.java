package dev.chorus.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-thread scratch holding two weight rows of a 32-block type decoded to their integer values (as floats) and block
 * scales, in the {@link BlockMajor} layout; reused across calls (grows on demand, allocates nothing once grown).
 */
final class DecodedRows {
    private static final ThreadLocal<DecodedRows> PER_THREAD = ThreadLocal.withInitial(DecodedRows::new);

    /** Row 0 at 0, row 1 at {@link #cols}. */
    float[] quants = new float[0];
    /** The lanes' block scales ({@link BlockMajor#laneScales}): row 0 at 0, row 1 at segments(cols)*L. */
    float[] scales = new float[0];
    int cols;
    private byte[] rowBytes = new byte[0];
    private float[] rowQuants = new float[0];
    private float[] rowScales = new float[0];

    static DecodedRows forThread(int cols) {
        DecodedRows rows = PER_THREAD.get();
        if (rows.quants.length < 2 * cols) {
            rows.quants = new float[2 * cols];
        }
        if (rows.scales.length < 2 * BlockMajor.segments(cols) * Vec.L) {
            rows.scales = new float[2 * BlockMajor.segments(cols) * Vec.L];
        }
        if (rows.rowQuants.length < cols) {
            rows.rowQuants = new float[cols];
            rows.rowScales = new float[cols / 32];
        }
        rows.cols = cols;
        return rows;
    }

    /** Decodes the rows of {@code bytes} bytes at offset0 and offset1 (may be the same row) with the type's decoder. */
    void decode(TypeKernel kernel, MemorySegment w, long offset0, long offset1, int bytes, int cols) {
        if (rowBytes.length < bytes) {
            rowBytes = new byte[bytes];
        }
        for (int i = 0; i < 2; i++) {
            MemorySegment.copy(w, ValueLayout.JAVA_BYTE, i == 0 ? offset0 : offset1, rowBytes, 0, bytes);
            kernel.decodeRow(rowBytes, 0, cols, rowQuants, 0, rowScales, 0);
            BlockMajor.transpose(rowQuants, 0, cols, quants, i * cols);
            BlockMajor.laneScales(rowScales, 0, cols, scales, i * BlockMajor.segments(cols) * Vec.L);
        }
    }
}
