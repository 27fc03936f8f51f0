package dev.chorus.model.synth;

import dev.chorus.gguf.GgufValueType;
import dev.chorus.gguf.GgufWriter;

/**
 * A self-contained SentencePiece-style vocabulary: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, the 256 byte tokens
 * &lt;0x00&gt;..&lt;0xFF&gt; (so any text encodes by byte fallback), the word-boundary piece "▁" (so spaces decode
 * back to spaces), then unused padding tokens up to the shape's vocabulary size.
 */
final class ByteVocab {
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    private ByteVocab() {
    }

    static void write(GgufWriter w, int size) {
        if (size < 260) {
            throw new IllegalArgumentException("a byte vocabulary needs at least 260 tokens, the shape has " + size);
        }
        String[] tokens = new String[size];
        float[] scores = new float[size];
        int[] types = new int[size];
        tokens[0] = "<unk>";
        types[0] = UNKNOWN;
        tokens[1] = "<s>";
        types[1] = CONTROL;
        tokens[2] = "</s>";
        types[2] = CONTROL;
        for (int b = 0; b < 256; b++) {
            tokens[3 + b] = String.format("<0x%02X>", b);
            types[3 + b] = BYTE;
        }
        tokens[259] = "\u2581";
        types[259] = NORMAL;
        for (int i = 260; i < size; i++) {
            tokens[i] = "[PAD" + i + "]";
            types[i] = UNUSED;
            scores[i] = -1e9f;
        }
        w.putString("tokenizer.ggml.model", "llama");
        w.putArray("tokenizer.ggml.tokens", GgufValueType.STRING, tokens);
        w.putArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, scores);
        w.putArray("tokenizer.ggml.token_type", GgufValueType.INT32, types);
        w.putUInt32("tokenizer.ggml.bos_token_id", 1);
        w.putUInt32("tokenizer.ggml.eos_token_id", 2);
        w.putUInt32("tokenizer.ggml.unknown_token_id", 0);
        w.putBool("tokenizer.ggml.add_bos_token", true);
        w.putBool("tokenizer.ggml.add_eos_token", false);
    }
}
