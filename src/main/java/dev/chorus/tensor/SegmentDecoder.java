package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import static dev.chorus.tensor.Vec.I;
import static dev.chorus.tensor.Vec.L;

/**
 * Decodes the whole segments ({@link Vec#L} blocks) of a Q4_0, Q5_0 or Q8_0 row straight into the {@link BlockMajor}
 * layout, where lane i of step j holds element j of block i. Decoding row-major and then gathering into that layout
 * cost more than the tile itself at 4864 columns; here the transposition moves 32-bit words (8 nibbles or 4 bytes)
 * with scalar copies, and each vector of words then yields 4 or 8 steps with shifts and masks. One method per type, so
 * the vector code has no type switch. (A last segment of fewer than L blocks, 12 of the 28 blocks of an 896-column
 * row, goes through the generic path: the same scheme with lanes split between blocks measured slower than that, and
 * so did reading the words from int copies of the row instead of the byte-array view.)
 */
final class SegmentDecoder {
    private SegmentDecoder() {
    }

    static boolean handles(GgmlType type) {
        return type == GgmlType.Q4_0 || type == GgmlType.Q5_0 || type == GgmlType.Q8_0;
    }

    /** Blocks decoded here: those in whole segments (the few left go through the generic path). */
    static int decodedBlocks(int blocks) {
        return blocks / L * L;
    }

    /** Scratch ints {@link #decode} needs. */
    static int wordsNeeded() {
        return 8 * L;
    }

    /**
     * Decodes the first {@link #decodedBlocks} blocks of the row whose bytes are w[0..] (a type {@link #handles}):
     * values into q[qOff..] in block-major order and block scales into d[0..].
     */
    static void decode(GgmlType type, byte[] w, int blocks, float[] q, int qOff, float[] d, int[] words) {
        int blockBytes = type.bytesPerBlock();
        for (int b = 0; b < decodedBlocks(blocks); b += L) {
            for (int i = 0; i < L; i++) {
                d[b + i] = Mem.f16(w, (b + i) * blockBytes);
            }
            int seg = qOff + b * 32;
            switch (type) {
                case Q4_0 -> q4_0(w, b, q, seg, words);
                case Q5_0 -> q5_0(w, b, q, seg, words);
                default -> q8_0(w, b, q, seg, words);
            }
        }
    }

    /** words[k*L + i] = the little-endian int at byte first + 4k of block b + i, for k &lt; count. */
    private static void gather(byte[] w, int b, int blockBytes, int first, int count, int[] words) {
        for (int i = 0; i < L; i++) {
            int o = (b + i) * blockBytes + first;
            for (int k = 0; k < count; k++) {
                words[k * L + i] = Mem.i32(w, o + 4 * k);
            }
        }
    }

    /** Byte 4k+t of each block's nibbles gives step 4k+t (low nibble) and 16+4k+t (high nibble), minus 8. */
    private static void q4_0(byte[] w, int b, float[] q, int seg, int[] words) {
        gather(w, b, Q4_0Kernel.BLOCK_BYTES, 2, 4, words);
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

    /** As Q4_0, with bit j of the block's 32-bit mask as the fifth bit of element j, minus 16. */
    private static void q5_0(byte[] w, int b, float[] q, int seg, int[] words) {
        gather(w, b, Q5_0Kernel.BLOCK_BYTES, 2, 5, words);
        IntVector qh = IntVector.fromArray(I, words, 0);
        for (int k = 0; k < 4; k++) {
            IntVector v = IntVector.fromArray(I, words, (k + 1) * L);
            for (int t = 0; t < 4; t++) {
                int j = 4 * k + t;
                IntVector lo = v.lanewise(VectorOperators.LSHR, 8 * t).and(15)
                        .or(qh.lanewise(VectorOperators.LSHR, j).and(1).lanewise(VectorOperators.LSHL, 4)).sub(16);
                IntVector hi = v.lanewise(VectorOperators.LSHR, 8 * t + 4).and(15)
                        .or(qh.lanewise(VectorOperators.LSHR, 16 + j).and(1).lanewise(VectorOperators.LSHL, 4)).sub(16);
                Vec.toFloat(lo).intoArray(q, seg + j * L);
                Vec.toFloat(hi).intoArray(q, seg + (16 + j) * L);
            }
        }
    }

    /** Byte 4k+t of each block's int8 values is step 4k+t, sign-extended. */
    private static void q8_0(byte[] w, int b, float[] q, int seg, int[] words) {
        gather(w, b, Q8_0Kernel.BLOCK_BYTES, 2, 8, words);
        for (int k = 0; k < 8; k++) {
            IntVector v = IntVector.fromArray(I, words, k * L);
            for (int t = 0; t < 4; t++) {
                IntVector e = v.lanewise(VectorOperators.LSHL, 24 - 8 * t).lanewise(VectorOperators.ASHR, 24);
                Vec.toFloat(e).intoArray(q, seg + (4 * k + t) * L);
            }
        }
    }
}
