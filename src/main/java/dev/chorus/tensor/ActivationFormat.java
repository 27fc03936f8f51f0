package dev.chorus.tensor;

/**
 * How an F32 activation row is rounded or quantized before a dot product with a weight row, mirroring the "vec_dot
 * type" of ggml's CPU backend (so that results match llama.cpp, not only the exact math).
 */
public enum ActivationFormat {
    /** Plain floats (F32 weights). */
    F32(1),
    /** Each value rounded to IEEE half precision (F16 weights). */
    F16(1),
    /** Each value rounded to bfloat16 (BF16 weights). */
    BF16(1),
    /** Blocks of 32 int8 with an fp16 scale (Q8_0, Q4_0, Q5_0 weights). */
    Q8_0(32),
    /** Q8_0 plus the fp16-rounded scale x sum of each block (Q4_1, Q5_1 weights). */
    Q8_1(32),
    /** Blocks of 256 int8 with a float scale and sums per 16 (the K-quants). */
    Q8_K(256);

    private final int blockSize;

    ActivationFormat(int blockSize) {
        this.blockSize = blockSize;
    }

    /** Elements per quantization block (1 for the float formats). */
    public int blockSize() {
        return blockSize;
    }

    public boolean quantized() {
        return blockSize > 1;
    }
}
