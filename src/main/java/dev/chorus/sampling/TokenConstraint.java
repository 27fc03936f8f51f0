package dev.chorus.sampling;

/**
 * Limits which tokens may come next (constrained decoding). The sampler asks for a mask before each draw and
 * reports the token it drew. One instance per sequence; not thread-safe.
 */
public interface TokenConstraint {
    /** Sets the logits of every token that may not come next to -infinity; returns how many may. */
    int mask(float[] logits, int offset, int vocab);

    /** Moves past a token the sampler drew (one that {@link #mask} allowed). */
    void accept(int token);

    /** True when the constrained output is complete and generation should end. */
    boolean complete();
}
