package dev.chorus.tensor;

import jdk.incubator.vector.FloatVector;

import java.util.Arrays;

/**
 * The block-transposed layout of the batched 32-block products: a row is cut into groups of {@link Vec#L} blocks, and
 * within a group element j of block l is stored at j*L + l. A vector load then holds element j of L consecutive
 * blocks, so L exact block sums build up side by side in one register and are scaled by one lane-wise product of
 * weight and activation scales per group, instead of one broadcast and FMA per block and vector. Rows are padded with
 * zeros to whole groups ({@link #paddedCols}); scales are stored one per block, padded the same way.
 */
final class BlockMajor {
    static final int GROUP = 32 * Vec.L;

    private BlockMajor() {
    }

    static int paddedCols(int cols) {
        return (cols + GROUP - 1) / GROUP * GROUP;
    }

    /** Lane l reads block l of a group: element offsets 32*l. */
    private static final int[] BLOCK_STARTS = new int[Vec.L];

    static {
        for (int l = 0; l < Vec.L; l++) {
            BLOCK_STARTS[l] = 32 * l;
        }
    }

    /** Rearranges cols values from src[srcOff..] into dst[dstOff..dstOff + paddedCols(cols)), zero padded. */
    static void transpose(float[] src, int srcOff, int cols, float[] dst, int dstOff) {
        Arrays.fill(dst, dstOff + cols / GROUP * GROUP, dstOff + paddedCols(cols), 0f);
        int lanes = Vec.L;
        int whole = cols / GROUP * GROUP;
        // whole groups: one gather per element position j (lane l reads element j of block l)
        for (int g = 0; g < whole; g += GROUP) {
            for (int j = 0; j < 32; j++) {
                FloatVector.fromArray(Vec.F, src, srcOff + g + j, BLOCK_STARTS, 0).intoArray(dst, dstOff + g + j * lanes);
            }
        }
        for (int block = whole / 32; block < cols / 32; block++) {
            int base = dstOff + block / lanes * GROUP + block % lanes;
            for (int j = 0; j < 32; j++) {
                dst[base + j * lanes] = src[srcOff + block * 32 + j];
            }
        }
    }

    /** Copies cols/32 block scales from src[srcOff..] to dst[dstOff..], zero padded to paddedCols(cols)/32. */
    static void scales(float[] src, int srcOff, int cols, float[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, cols / 32);
        Arrays.fill(dst, dstOff + cols / 32, dstOff + paddedCols(cols) / 32, 0f);
    }
}
