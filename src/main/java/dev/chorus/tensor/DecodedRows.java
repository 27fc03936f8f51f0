package dev.chorus.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-thread scratch holding {@link #ROWS} weight rows of a 32-block type decoded to their integer values (as floats)
 * and block scales, in the {@link BlockMajor} layout, plus the tile's scaled accumulators; reused across calls (grows on
 * demand, allocates nothing once grown).
 */
final class DecodedRows {
    /** Rows decoded together: the row count of a {@link DecodedTile}. */
    static final int ROWS = 4;
    private static final ThreadLocal<DecodedRows> PER_THREAD = ThreadLocal.withInitial(DecodedRows::new);

    /** Row i at i*{@link #cols}. */
    float[] quants = new float[0];
    /** The lanes' block scales ({@link BlockMajor#laneScales}): row i at i*segments(cols)*L. */
    float[] scales = new float[0];
    /** The decoded rows' indices in the matrix (repeated when fewer rows remain). */
    final int[] index = new int[ROWS];
    /** A tile's per-lane sums of scaled segments, one L-lane group per (row, vector); see {@link DecodedTile}. */
    final float[] sums = new float[ROWS * DecodedTile.VECTORS * Vec.L];
    int cols;
    private byte[] rowBytes = new byte[0];
    private float[] rowQuants = new float[0];
    private float[] rowScales = new float[0];
    private final int[] words = new int[SegmentDecoder.wordsNeeded()];

    static DecodedRows forThread(int cols) {
        DecodedRows rows = PER_THREAD.get();
        if (rows.quants.length < ROWS * cols) {
            rows.quants = new float[ROWS * cols];
        }
        if (rows.scales.length < ROWS * BlockMajor.segments(cols) * Vec.L) {
            rows.scales = new float[ROWS * BlockMajor.segments(cols) * Vec.L];
        }
        if (rows.rowQuants.length < cols) {
            rows.rowQuants = new float[cols];
            rows.rowScales = new float[cols / 32];
        }
        rows.cols = cols;
        return rows;
    }

    /**
     * Decodes rows first .. first + ROWS - 1 of a matrix whose rows take {@code bytes} bytes, repeating row last - 1
     * for any beyond {@code last}, with the type's decoder.
     */
    void decode(TypeKernel kernel, MemorySegment w, int first, int last, int bytes, int cols) {
        if (rowBytes.length < bytes) {
            rowBytes = new byte[bytes];
        }
        for (int i = 0; i < ROWS; i++) {
            int r = Math.min(first + i, last - 1);
            index[i] = r;
            if (i > 0 && r == index[i - 1]) {
                System.arraycopy(quants, (i - 1) * cols, quants, i * cols, cols);
                int lanes = BlockMajor.segments(cols) * Vec.L;
                System.arraycopy(scales, (i - 1) * lanes, scales, i * lanes, lanes);
                continue;
            }
            MemorySegment.copy(w, ValueLayout.JAVA_BYTE, (long) r * bytes, rowBytes, 0, bytes);
            if (SegmentDecoder.handles(kernel.type())) {
                // whole segments straight into the layout; a short tail row-major, then transposed
                int blocks = cols / 32;
                int whole = SegmentDecoder.decodedBlocks(blocks);
                SegmentDecoder.decode(kernel.type(), rowBytes, blocks, quants, i * cols, rowScales, words);
                kernel.decodeRow(rowBytes, whole * kernel.type().bytesPerBlock(), cols - whole * 32,
                        rowQuants, whole * 32, rowScales, whole);
                BlockMajor.transpose(rowQuants, 0, whole, cols, quants, i * cols);
            } else {
                kernel.decodeRow(rowBytes, 0, cols, rowQuants, 0, rowScales, 0);
                BlockMajor.transpose(rowQuants, 0, cols, quants, i * cols);
            }
            BlockMajor.laneScales(rowScales, 0, cols, scales, i * BlockMajor.segments(cols) * Vec.L);
        }
    }
}
