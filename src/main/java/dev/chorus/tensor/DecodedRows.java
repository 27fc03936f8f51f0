package dev.chorus.tensor;

/**
 * Per-thread scratch holding two weight rows of a 32-block type decoded to their integer values (as floats) and
 * block scales, reused across calls (grows on demand, allocates nothing once grown).
 */
final class DecodedRows {
    private static final ThreadLocal<DecodedRows> PER_THREAD = ThreadLocal.withInitial(DecodedRows::new);

    float[] quants = new float[0];
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
}
