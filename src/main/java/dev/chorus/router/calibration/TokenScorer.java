package dev.chorus.router.calibration;

/**
 * The little a causal language model must offer for teacher-forced scoring. Implemented over the inference engine
 * (dev.chorus.model) for GGUF experts; tests may supply their own.
 */
public interface TokenScorer extends AutoCloseable {
    /** Token ids of {@code text}, with the model's BOS token first when {@code addBos}. */
    int[] tokenize(String text, boolean addBos);

    int bosToken();

    /**
     * {@code out[i] = log p(tokens[i + 1] | tokens[0..i])} under a log-softmax over the full vocabulary, for
     * {@code i = 0 .. tokens.length - 2}, from one causal pass over {@code tokens} starting at position 0.
     */
    double[] nextTokenLogProbs(int[] tokens);

    @Override
    default void close() {
    }
}
