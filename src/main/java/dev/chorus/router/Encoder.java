package dev.chorus.router;

import java.util.List;

/**
 * A sentence-embedding model: text in, one L2-normalised vector out. Implementations must be thread-safe.
 * Texts longer than {@link #maxTokens()} are shortened by the encoder itself (see {@link TokenWindow}).
 */
public interface Encoder extends AutoCloseable {
    /** Stable identifier written into router files; a router trained with one id refuses any other. */
    String id();

    int dimension();

    /** The encoder's input window in its own tokens (special tokens included). */
    int maxTokens();

    /** Embeds each text; the result has one L2-normalised vector per input, in order. */
    List<float[]> embed(List<String> texts);

    default float[] embed(String text) {
        return embed(List.of(text)).getFirst();
    }

    @Override
    default void close() {
    }
}
