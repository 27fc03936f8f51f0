package dev.chorus.gguf;

/**
 * Names of the values of {@code general.file_type} (llama.cpp's {@code llama_ftype}): the dominant weight type a
 * file was quantized to. Ids 4-6 and 33-35 were removed from llama.cpp and are absent here.
 */
public enum LlamaFileType {
    ALL_F32(0, "all F32"), MOSTLY_F16(1, "F16"), MOSTLY_Q4_0(2, "Q4_0"), MOSTLY_Q4_1(3, "Q4_1"),
    MOSTLY_Q8_0(7, "Q8_0"), MOSTLY_Q5_0(8, "Q5_0"), MOSTLY_Q5_1(9, "Q5_1"),
    MOSTLY_Q2_K(10, "Q2_K - Medium"), MOSTLY_Q3_K_S(11, "Q3_K - Small"), MOSTLY_Q3_K_M(12, "Q3_K - Medium"),
    MOSTLY_Q3_K_L(13, "Q3_K - Large"), MOSTLY_Q4_K_S(14, "Q4_K - Small"), MOSTLY_Q4_K_M(15, "Q4_K - Medium"),
    MOSTLY_Q5_K_S(16, "Q5_K - Small"), MOSTLY_Q5_K_M(17, "Q5_K - Medium"), MOSTLY_Q6_K(18, "Q6_K"),
    MOSTLY_IQ2_XXS(19, "IQ2_XXS - 2.0625 bpw"), MOSTLY_IQ2_XS(20, "IQ2_XS - 2.3125 bpw"),
    MOSTLY_Q2_K_S(21, "Q2_K - Small"), MOSTLY_IQ3_XS(22, "IQ3_XS - 3.3 bpw"),
    MOSTLY_IQ3_XXS(23, "IQ3_XXS - 3.0625 bpw"), MOSTLY_IQ1_S(24, "IQ1_S - 1.5625 bpw"),
    MOSTLY_IQ4_NL(25, "IQ4_NL - 4.5 bpw"), MOSTLY_IQ3_S(26, "IQ3_S - 3.4375 bpw"),
    MOSTLY_IQ3_M(27, "IQ3_S mix - 3.66 bpw"), MOSTLY_IQ2_S(28, "IQ2_S - 2.5 bpw"),
    MOSTLY_IQ2_M(29, "IQ2_M - 2.7 bpw"), MOSTLY_IQ4_XS(30, "IQ4_XS - 4.25 bpw"),
    MOSTLY_IQ1_M(31, "IQ1_M - 1.75 bpw"), MOSTLY_BF16(32, "BF16"),
    MOSTLY_TQ1_0(36, "TQ1_0 - 1.69 bpw ternary"), MOSTLY_TQ2_0(37, "TQ2_0 - 2.06 bpw ternary"),
    MOSTLY_MXFP4_MOE(38, "MXFP4 MoE");

    /** Bit llama.cpp sets when the file type was guessed rather than read from the file. */
    private static final int GUESSED = 1024;

    private final int id;
    private final String label;

    LlamaFileType(int id, String label) {
        this.id = id;
        this.label = label;
    }

    public int id() {
        return id;
    }

    /** llama.cpp's human name, e.g. "Q4_K - Medium". */
    public String label() {
        return label;
    }

    /** The type with this id, or null. */
    public static LlamaFileType byId(long id) {
        for (LlamaFileType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }

    /** A readable name for any stored value, including unknown and "guessed" ones. */
    public static String describe(long id) {
        if ((id & GUESSED) != 0 && id > 0) {
            return describe(id & ~GUESSED) + " (guessed)";
        }
        LlamaFileType t = byId(id);
        return t == null ? "unknown file type " + id : t.label();
    }
}
