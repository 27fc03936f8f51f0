package dev.chorus.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

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

    /**
     * BLOCK_STARTS[k]: lane l reads block l of a group of k blocks (element offset 32*l); lanes l &gt;= k, masked off,
     * point at offset 0 because a masked gather still checks every lane's index.
     */
    private static final int[][] BLOCK_STARTS = new int[Vec.L + 1][Vec.L];

    static {
        for (int k = 0; k <= Vec.L; k++) {
            for (int l = 0; l < k; l++) {
                BLOCK_STARTS[k][l] = 32 * l;
            }
        }
    }

    /** Rearranges cols values from src[srcOff..] into dst[dstOff..dstOff + paddedCols(cols)), zero padded. */
    static void transpose(float[] src, int srcOff, int cols, float[] dst, int dstOff) {
        int blocks = cols / 32;
        for (int g = 0; g < cols; g += GROUP) {
            // one gather per element position j: lane l reads element j of block l; lanes past the last block read 0
            int inGroup = Math.min(Vec.L, blocks - g / 32);
            VectorMask<Float> present = VectorMask.fromLong(Vec.F, (1L << inGroup) - 1);
            int[] starts = BLOCK_STARTS[inGroup];
            for (int j = 0; j < 32; j++) {
                FloatVector.fromArray(Vec.F, src, srcOff + g + j, starts, 0, present)
                        .intoArray(dst, dstOff + g + j * Vec.L);
            }
        }
    }

    /** Copies cols/32 block scales from src[srcOff..] to dst[dstOff..], zero padded to paddedCols(cols)/32. */
    static void scales(float[] src, int srcOff, int cols, float[] dst, int dstOff) {
        System.arraycopy(src, srcOff, dst, dstOff, cols / 32);
        Arrays.fill(dst, dstOff + cols / 32, dstOff + paddedCols(cols) / 32, 0f);
    }
}
