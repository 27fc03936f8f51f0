package dev.chorus.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Per-thread heap copy of two weight rows (row 0 at 0, row 1 at {@link #row1}) for the two-row tiles of
 * {@link TypeKernel#dot2x4}. Copying about 1 KB per row pair costs little next to eight dot products over it, and the
 * tiles then read a byte[]: reading the mapped segment directly kept its liveness and bounds checks in the block loop
 * (about 10 % of the tile's time at 8 vectors, KernelThroughput). Grows on demand, allocates nothing once grown.
 */
final class HeapRowPair {
    private static final ThreadLocal<HeapRowPair> PER_THREAD = ThreadLocal.withInitial(HeapRowPair::new);

    byte[] bytes = new byte[0];
    /** Offset of row 1 in {@link #bytes}: 0 when both rows are the same row. */
    int row1;

    private HeapRowPair() {
    }

    /** The calling thread's copy of the rows of {@code rowBytes} bytes at offset0 and offset1 (may be equal). */
    static HeapRowPair copy(MemorySegment w, long offset0, long offset1, int rowBytes) {
        HeapRowPair pair = PER_THREAD.get();
        if (pair.bytes.length < 2 * rowBytes) {
            pair.bytes = new byte[2 * rowBytes];
        }
        MemorySegment.copy(w, ValueLayout.JAVA_BYTE, offset0, pair.bytes, 0, rowBytes);
        if (offset1 == offset0) {
            pair.row1 = 0;
        } else {
            MemorySegment.copy(w, ValueLayout.JAVA_BYTE, offset1, pair.bytes, rowBytes, rowBytes);
            pair.row1 = rowBytes;
        }
        return pair;
    }
}
