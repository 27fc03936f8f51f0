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

    // Packed forms: the four 6-bit scales (or mins) of sub-blocks 0..3 or 4..7 as the four bytes of an int, decoded
    // from the 12 bytes read as three little-endian ints u0, u1, u2 with a few masks instead of per-value branches.

    static int scalesLow(int u0) {
        return u0 & 0x3f3f3f3f;
    }

    static int scalesHigh(int u0, int u2) {
        return (u2 & 0x0f0f0f0f) | ((u0 >>> 2) & 0x30303030);
    }

    static int minsLow(int u1) {
        return u1 & 0x3f3f3f3f;
    }

    static int minsHigh(int u1, int u2) {
        return ((u2 >>> 4) & 0x0f0f0f0f) | ((u1 >>> 2) & 0x30303030);
    }

    /** sum over sub-blocks s of min(s) * (sum of the activation quants of sub-block s); ps holds those sums. */
    static int minDot(int minsLow, int minsHigh, int[] ps, int p) {
        return (minsLow & 0xff) * ps[p] + ((minsLow >>> 8) & 0xff) * ps[p + 1]
                + ((minsLow >>> 16) & 0xff) * ps[p + 2] + (minsLow >>> 24) * ps[p + 3]
                + (minsHigh & 0xff) * ps[p + 4] + ((minsHigh >>> 8) & 0xff) * ps[p + 5]
                + ((minsHigh >>> 16) & 0xff) * ps[p + 6] + (minsHigh >>> 24) * ps[p + 7];
    }
}
