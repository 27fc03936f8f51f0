package dev.chorus.sampling;

import dev.chorus.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A vocabulary prepared for {@link JsonConstraint}: each token's bytes, the tokens grouped by first byte (so a
 * state that refuses a byte skips every token starting with it), and which tokens are plain string text (taken
 * inside a string without trying them byte by byte). Built once per model and shared by its sequences.
 */
public final class JsonVocabulary {
    final byte[][] bytes;
    final boolean[] endOfGeneration;
    final boolean[] plainText;
    final int[][] byFirstByte;

    /**
     * @param bytes           what each token adds to the answer; null or empty for tokens that may never be drawn in
     *                        JSON mode (control tokens, which add no text)
     * @param endOfGeneration tokens that end generation: allowed once the object is complete, and only then
     */
    public JsonVocabulary(byte[][] bytes, boolean[] endOfGeneration) {
        if (bytes.length != endOfGeneration.length) {
            throw new IllegalArgumentException("one end-of-generation flag per token is needed");
        }
        this.bytes = bytes.clone();
        this.endOfGeneration = endOfGeneration.clone();
        plainText = new boolean[bytes.length];
        List<List<Integer>> buckets = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            buckets.add(new ArrayList<>());
        }
        for (int t = 0; t < bytes.length; t++) {
            byte[] token = bytes[t];
            if (token == null || token.length == 0 || endOfGeneration[t]) {
                continue;
            }
            buckets.get(token[0] & 0xff).add(t);
            plainText[t] = isPlainText(token);
        }
        byFirstByte = new int[256][];
        for (int b = 0; b < 256; b++) {
            byFirstByte[b] = buckets.get(b).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    /** A tokenizer's vocabulary: each token's text as answers show it; control tokens (which vanish) get none. */
    public static JsonVocabulary of(Tokenizer tokenizer) {
        int n = tokenizer.vocabSize();
        byte[][] bytes = new byte[n][];
        boolean[] eog = new boolean[n];
        for (int id = 0; id < n; id++) {
            eog[id] = tokenizer.isEndOfGeneration(id);
            byte[] b = tokenizer.tokenBytes(id);
            boolean vanishes = b.length > 0 && tokenizer.decode(new int[]{id}).isEmpty()
                    && !new String(b, StandardCharsets.UTF_8).isBlank();
            bytes[id] = vanishes ? null : b;
        }
        return new JsonVocabulary(bytes, eog);
    }

    public int size() {
        return bytes.length;
    }

    /** Whole UTF-8 characters with no quote, backslash or control character: string text in any string. */
    private static boolean isPlainText(byte[] token) {
        JsonGrammar g = new JsonGrammar();
        // inside a string value: '{', '"' open it
        g.accept('{');
        g.accept('"');
        for (byte b : token) {
            if (b == '"' || b == '\\' || !g.accept(b & 0xff)) {
                return false;
            }
        }
        return g.inPlainString();
    }
}
