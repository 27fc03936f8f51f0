package dev.chorus.chat;

import dev.chorus.gguf.GgufMetadata;

/** BOS/EOS token texts of a GGUF model: tokenizer.ggml.tokens[tokenizer.ggml.{bos,eos}_token_id]. */
public final class SpecialTokens {
    private SpecialTokens() {
    }

    public static String bos(GgufMetadata metadata) {
        return token(metadata, "tokenizer.ggml.bos_token_id");
    }

    public static String eos(GgufMetadata metadata) {
        return token(metadata, "tokenizer.ggml.eos_token_id");
    }

    private static String token(GgufMetadata metadata, String idKey) {
        if (!metadata.contains(idKey) || !metadata.contains("tokenizer.ggml.tokens")) {
            return null;
        }
        String[] tokens = metadata.getStringArray("tokenizer.ggml.tokens");
        long id = metadata.getLong(idKey);
        return id >= 0 && id < tokens.length ? tokens[(int) id] : null;
    }
}
