package dev.chorus.tensor;

import jdk.incubator.vector.FloatVector;


/**
 * The block-transposed layout of the batched 32-block products: a row is cut into groups of {@link Vec#L} blocks, and
 * within a group element j of block l is stored at j*L + l. A vector load then holds element j of L consecutive
 * blocks, so L exact block sums build up side by side in one register and are scaled by one lane-wise product of
 * weight and activation scales per group, instead of one broadcast and FMA per block and vector. The blocks after the
 * last whole group stay row-major (padding them to a group cost SmolLM2's 576 columns 1024 columns of work); scales
 * are stored one per block.
 */
final class BlockMajor {
    static final int GROUP = 32 * Vec.L;

    private BlockMajor() {
    }

    /** Lane l reads block l of a group: element offset 32*l. */
    private static final int[] BLOCK_STARTS = new int[Vec.L];

    static {
        for (int l = 0; l < Vec.L; l++) {
            BLOCK_STARTS[l] = 32 * l;
        }
    }

    /** Elements of the whole groups of a row of cols; the rest, up to cols, is row-major. */
    static int wholeGroups(int cols) {
        return cols / GROUP * GROUP;
    }

    /** Rearranges cols values from src[srcOff..] into dst[dstOff..dstOff + cols). */
    static void transpose(float[] src, int srcOff, int cols, float[] dst, int dstOff) {
        int whole = wholeGroups(cols);
        int[] starts = BLOCK_STARTS;
        for (int g = 0; g < whole; g += GROUP) {
            // one gather per element position j: lane l reads element j of block l
            for (int j = 0; j < 32; j++) {
                FloatVector.fromArray(Vec.F, src, srcOff + g + j, starts, 0).intoArray(dst, dstOff + g + j * Vec.L);
            }
        }
        System.arraycopy(src, srcOff + whole, dst, dstOff + whole, cols - whole);
    }
}
