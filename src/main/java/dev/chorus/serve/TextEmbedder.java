package dev.chorus.serve;

/** The router's sentence encoder, exposed as {@code /v1/embeddings}. Thread-safe. */
public interface TextEmbedder {
    String modelName();

    float[] embed(String text);

    /** Tokens the encoder saw for {@code text}, for the usage block. */
    int countTokens(String text);
}
