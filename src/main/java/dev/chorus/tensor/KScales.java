package dev.chorus.tensor;

import java.lang.foreign.MemorySegment;

/** The 12-byte packing of eight 6-bit scales and eight 6-bit mins shared by Q4_K and Q5_K. */
final class KScales {
    private KScales() {
    }

    /** Scale of sub-block j (32 elements) from the 12 bytes at s. */
    static int scale(MemorySegment w, long s, int j) {
        return j < 4 ? Mem.u8(w, s + j) & 63
                : (Mem.u8(w, s + j + 4) & 15) | ((Mem.u8(w, s + j - 4) >>> 6) << 4);
    }

    /** Min of sub-block j from the 12 bytes at s. */
    static int min(MemorySegment w, long s, int j) {
        return j < 4 ? Mem.u8(w, s + j + 4) & 63
                : (Mem.u8(w, s + j + 4) >>> 4) | ((Mem.u8(w, s + j) >>> 6) << 4);
    }
}
