package dev.chorus.tensor;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import static dev.chorus.tensor.Vec.I;
import static dev.chorus.tensor.Vec.L;

/**
 * Decodes the whole segments ({@link Vec#L} blocks) of a Q4_0 row straight into the {@link BlockMajor} layout, where
 * lane i of step j holds element j of block i. Decoding row-major and then gathering into that layout cost more than
 * the tile itself at 4864 columns; here the transposition moves 32-bit words (8 nibbles each) with scalar copies, and
 * each word vector then yields 8 steps with shifts and masks.
 */
final class Q4_0BlockMajor {
    private Q4_0BlockMajor() {
    }

    /** Blocks decoded here: those in whole segments (the few left go through the generic path). */
    static int decodedBlocks(int blocks) {
        return blocks / L * L;
    }

    /**
     * Decodes the first {@link #decodedBlocks} blocks of the row whose bytes are w[0..]: values into q[qOff..] in
     * block-major order and block scales into d[0..]; {@code words} is scratch of at least 4*L ints.
     */
    static void decode(byte[] w, int blocks, float[] q, int qOff, float[] d, int[] words) {
        for (int b = 0; b < decodedBlocks(blocks); b += L) {
            for (int i = 0; i < L; i++) {
                d[b + i] = Mem.f16(w, (b + i) * Q4_0Kernel.BLOCK_BYTES);
            }
            wholeSegment(w, b, q, qOff + b * 32, words);
        }
    }

    /** Lane i holds block b + i: byte 4k+t of each block gives step 4k+t (low nibble) and 16+4k+t (high nibble). */
    private static void wholeSegment(byte[] w, int b, float[] q, int seg, int[] words) {
        for (int i = 0; i < L; i++) {
            int o = (b + i) * Q4_0Kernel.BLOCK_BYTES + 2;
            words[i] = Mem.i32(w, o);
            words[L + i] = Mem.i32(w, o + 4);
            words[2 * L + i] = Mem.i32(w, o + 8);
            words[3 * L + i] = Mem.i32(w, o + 12);
        }
        for (int k = 0; k < 4; k++) {
            IntVector v = IntVector.fromArray(I, words, k * L);
            for (int t = 0; t < 4; t++) {
                IntVector lo = v.lanewise(VectorOperators.LSHR, 8 * t).and(15).sub(8);
                IntVector hi = v.lanewise(VectorOperators.LSHR, 8 * t + 4).and(15).sub(8);
                Vec.toFloat(lo).intoArray(q, seg + (4 * k + t) * L);
                Vec.toFloat(hi).intoArray(q, seg + (16 + 4 * k + t) * L);
            }
        }
    }
}
