package dev.chorus.model;

import dev.chorus.ChorusException;

/**
 * The model families Chorus runs, keyed by GGUF {@code general.architecture}. Each names its rotary layout; the
 * rest of a family's graph (biases, q/k norms, post-norms, soft-caps) follows from the tensors and metadata present.
 */
public enum Architecture {
    LLAMA("llama", RopeMode.NORM),
    QWEN2("qwen2", RopeMode.NEOX),
    QWEN3("qwen3", RopeMode.NEOX),
    GEMMA2("gemma2", RopeMode.NEOX);

    /** NORM rotates adjacent pairs (x[2i], x[2i+1]); NEOX rotates (x[i], x[i + d/2]). */
    public enum RopeMode { NORM, NEOX }

    private final String ggufName;
    private final RopeMode ropeMode;

    Architecture(String ggufName, RopeMode ropeMode) {
        this.ggufName = ggufName;
        this.ropeMode = ropeMode;
    }

    public String ggufName() {
        return ggufName;
    }

    public RopeMode ropeMode() {
        return ropeMode;
    }

    public static Architecture fromGguf(String name) {
        for (Architecture a : values()) {
            if (a.ggufName.equals(name)) {
                return a;
            }
        }
        throw new ChorusException("unsupported model architecture '" + name + "' (supported: llama, qwen2, qwen3, gemma2)");
    }
}
