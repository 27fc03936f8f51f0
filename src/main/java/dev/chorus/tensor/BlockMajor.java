package dev.chorus.tensor;

import jdk.incubator.vector.FloatVector;

/**
 * The block-transposed layout of the batched 32-block products. A row of B blocks is cut into segments of G blocks:
 * G = {@link Vec#L} while at least L blocks remain, then the largest power of two that fits (e.g. 18 blocks = 16 + 2,
 * 28 = 16 + 8 + 4). In a segment each block owns k = L/G lanes: lane i holds block (i mod G), part (i / G) of its 32
 * elements, and vector step j (of 32/k) holds element j of every part, at segment offset j*L + i. A segment spans the
 * same 32*G elements as row-major, so it starts where its first block would. Every lane sums elements of one block
 * only (exact integers in float), and one lane-wise product of weight and activation scales per segment scales all
 * its blocks, with no per-block broadcast; the scales are expanded to one per lane ({@link #laneScales}).
 */
final class BlockMajor {
    private static final int L = Vec.L;
    /** GATHER[log2 G][i]: in-segment element offset of lane i's first element for segments of G blocks. */
    private static final int[][] GATHER = new int[Integer.numberOfTrailingZeros(L) + 1][L];

    static {
        for (int g = 1, log = 0; g <= L; g *= 2, log++) {
            int part = 32 * g / L;
            for (int i = 0; i < L; i++) {
                GATHER[log][i] = (i % g) * 32 + (i / g) * part;
            }
        }
    }

    private BlockMajor() {
    }

    /** Blocks in the segment that starts at block b of a row of {@code blocks} blocks. */
    static int segmentBlocks(int b, int blocks) {
        int remaining = blocks - b;
        return remaining >= L ? L : Integer.highestOneBit(remaining);
    }

    /** Number of segments of a row of cols elements (each takes L expanded scales). */
    static int segments(int cols) {
        int blocks = cols / 32;
        return blocks / L + Integer.bitCount(blocks % L);
    }

    /** Rearranges cols values from src[srcOff..] into dst[dstOff..dstOff + cols), segment by segment. */
    static void transpose(float[] src, int srcOff, int cols, float[] dst, int dstOff) {
        transpose(src, srcOff, 0, cols, dst, dstOff);
    }

    /**
     * As {@link #transpose(float[], int, int, float[], int)} for the segments from block {@code fromBlock} on (a
     * segment start), leaving those before it alone.
     */
    static void transpose(float[] src, int srcOff, int fromBlock, int cols, float[] dst, int dstOff) {
        int blocks = cols / 32;
        for (int b = fromBlock; b < blocks; ) {
            int g = segmentBlocks(b, blocks);
            int[] starts = GATHER[Integer.numberOfTrailingZeros(g)];
            for (int j = 0; j < 32 * g / L; j++) {
                FloatVector.fromArray(Vec.F, src, srcOff + b * 32 + j, starts, 0).intoArray(dst, dstOff + b * 32 + j * L);
            }
            b += g;
        }
    }

    /** One scale per lane: dst[dstOff + s*L + i] = scale of the block lane i of segment s sums. */
    static void laneScales(float[] scales, int scalesOff, int cols, float[] dst, int dstOff) {
        int blocks = cols / 32;
        int s = 0;
        for (int b = 0; b < blocks; s++) {
            int g = segmentBlocks(b, blocks);
            if (g == L) {
                System.arraycopy(scales, scalesOff + b, dst, dstOff + s * L, L);
                b += g;
                continue;
            }
            for (int i = 0; i < L; i++) {
                dst[dstOff + s * L + i] = scales[scalesOff + b + (i & (g - 1))];   // g is a power of two
            }
            b += g;
        }
    }
}
