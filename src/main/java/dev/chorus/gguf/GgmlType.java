package dev.chorus.gguf;

/**
 * The one table of ggml tensor types: id, block size (elements per block) and bytes per block, in the order of
 * ggml.h. Every size computation in Chorus goes through this table. {@code computable} says whether Chorus's engine
 * has kernels for the type; the others are recognised so that files holding them can be inspected and reported by name.
 */
public enum GgmlType {
    F32(0, 1, 4, true),
    F16(1, 1, 2, true),
    Q4_0(2, 32, 18, true),
    Q4_1(3, 32, 20, true),
    Q5_0(6, 32, 22, true),
    Q5_1(7, 32, 24, true),
    Q8_0(8, 32, 34, true),
    Q8_1(9, 32, 36, false),
    Q2_K(10, 256, 84, true),
    Q3_K(11, 256, 110, true),
    Q4_K(12, 256, 144, true),
    Q5_K(13, 256, 176, true),
    Q6_K(14, 256, 210, true),
    Q8_K(15, 256, 292, false),
    IQ2_XXS(16, 256, 66, false),
    IQ2_XS(17, 256, 74, false),
    IQ3_XXS(18, 256, 98, false),
    IQ1_S(19, 256, 50, false),
    IQ4_NL(20, 32, 18, false),
    IQ3_S(21, 256, 110, false),
    IQ2_S(22, 256, 82, false),
    IQ4_XS(23, 256, 136, false),
    I8(24, 1, 1, false),
    I16(25, 1, 2, false),
    I32(26, 1, 4, false),
    I64(27, 1, 8, false),
    F64(28, 1, 8, false),
    IQ1_M(29, 256, 56, false),
    BF16(30, 1, 2, true),
    TQ1_0(34, 256, 54, false),
    TQ2_0(35, 256, 66, false),
    MXFP4(39, 32, 17, false);

    private static final GgmlType[] BY_ID = new GgmlType[64];

    static {
        for (GgmlType t : values()) {
            BY_ID[t.id] = t;
        }
    }

    private final int id;
    private final int blockSize;
    private final int bytesPerBlock;
    private final boolean computable;

    GgmlType(int id, int blockSize, int bytesPerBlock, boolean computable) {
        this.id = id;
        this.blockSize = blockSize;
        this.bytesPerBlock = bytesPerBlock;
        this.computable = computable;
    }

    public int id() {
        return id;
    }

    /** Number of elements in one block. */
    public int blockSize() {
        return blockSize;
    }

    /** Bytes taken by one block. */
    public int bytesPerBlock() {
        return bytesPerBlock;
    }

    /** True when Chorus's engine can compute with weights of this type. */
    public boolean computable() {
        return computable;
    }

    /** Returns the type with this ggml id, or null when the id is unknown or a removed type. */
    public static GgmlType byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /**
     * Bytes taken by {@code elements} elements of this type.
     *
     * @throws IllegalArgumentException when the count is not a whole number of blocks or the size overflows
     */
    public long bytesFor(long elements) {
        if (elements < 0 || elements % blockSize != 0) {
            throw new IllegalArgumentException(
                    elements + " elements is not a whole number of " + name() + " blocks of " + blockSize);
        }
        long blocks = elements / blockSize;
        if (blocks > Long.MAX_VALUE / bytesPerBlock) {
            throw new IllegalArgumentException(elements + " elements of " + name() + " take more than 2^63 bytes");
        }
        return blocks * bytesPerBlock;
    }
}
