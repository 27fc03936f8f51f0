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

    /** Scale of sub-block j given the 12 bytes as three little-endian ints u0, u1, u2. */
    static int scale(int u0, int u2, int j) {
        return j < 4 ? (u0 >>> (8 * j)) & 63
                : ((u2 >>> (8 * (j - 4))) & 15) | (((u0 >>> (8 * (j - 4) + 6)) & 3) << 4);
    }

    /** Min of sub-block j given the 12 bytes as three little-endian ints u0, u1, u2. */
    static int min(int u1, int u2, int j) {
        return j < 4 ? (u1 >>> (8 * j)) & 63
                : ((u2 >>> (8 * (j - 4) + 4)) & 15) | (((u1 >>> (8 * (j - 4) + 6)) & 3) << 4);
    }
}
