package dev.chorus.model.synth;

import dev.chorus.ChorusException;

/**
 * The dimensions of a synthetic model, copied from real checkpoints' configs so that speed measured on a synthetic
 * file is the speed of the real model of that shape.
 */
public record SynthShape(String name, int layers, int embedding, int heads, int kvHeads, int feedForward, int vocab,
                         int contextLength, float ropeBase, float rmsEps) {

    /** HuggingFaceTB/SmolLM2-135M: llama, tied embeddings. */
    public static final SynthShape SMOLLM2_135M =
            new SynthShape("smollm2-135m", 30, 576, 9, 3, 1536, 49152, 8192, 100000f, 1e-5f);
    /** Qwen/Qwen2.5-0.5B: qwen2, tied embeddings. */
    public static final SynthShape QWEN25_05B =
            new SynthShape("qwen2.5-0.5b", 24, 896, 14, 2, 4864, 151936, 32768, 1000000f, 1e-6f);
    /** A small shape for tests and demos. */
    public static final SynthShape TINY = new SynthShape("tiny", 4, 256, 4, 2, 768, 512, 2048, 10000f, 1e-5f);

    public static SynthShape byName(String name) {
        return switch (name) {
            case "smollm2-135m" -> SMOLLM2_135M;
            case "qwen2.5-0.5b" -> QWEN25_05B;
            case "tiny" -> TINY;
            default -> throw new ChorusException("unknown shape '" + name + "' (smollm2-135m, qwen2.5-0.5b, tiny)");
        };
    }

    public int headDim() {
        return embedding / heads;
    }

    public SynthShape withVocab(int v) {
        return new SynthShape(name, layers, embedding, heads, kvHeads, feedForward, v, contextLength, ropeBase, rmsEps);
    }
}
