package dev.chorus.serve.routing;

import dev.chorus.router.Encoder;
import dev.chorus.serve.TextEmbedder;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code /v1/embeddings} through the router's sentence encoder (the same vectors the router classifies). */
public final class EncoderEmbedder implements TextEmbedder {
    /** Words and punctuation marks: the encoder's tokenizer is not exposed, so usage counts are approximate. */
    private static final Pattern PIECE = Pattern.compile("\\w+|[^\\w\\s]", Pattern.UNICODE_CHARACTER_CLASS);

    private final Encoder encoder;
    private final String name;

    public EncoderEmbedder(Encoder encoder) {
        this.encoder = encoder;
        this.name = encoder.id();
    }

    @Override
    public String modelName() {
        return name;
    }

    @Override
    public float[] embed(String text) {
        return encoder.embed(text);
    }

    @Override
    public int countTokens(String text) {
        Matcher m = PIECE.matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
