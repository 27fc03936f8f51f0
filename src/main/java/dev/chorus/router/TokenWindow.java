package dev.chorus.router;

/**
 * How an over-long prompt is cut to the encoder window: the first three quarters of the window come from the start
 * of the text (where the instruction usually is) and the last quarter from its end (where "summarise the above"
 * style instructions go). The two parts are joined by " ... ".
 */
public record TokenWindow(int maxContentTokens) {
    public TokenWindow {
        if (maxContentTokens < 8) {
            throw new IllegalArgumentException("encoder window must hold at least 8 tokens, got " + maxContentTokens);
        }
    }

    public int headTokens() {
        return maxContentTokens * 3 / 4;
    }

    public int tailTokens() {
        return maxContentTokens - headTokens() - 1; // one token for the joining ellipsis
    }

    /**
     * Cuts {@code text} given the character span of each of its tokens ({@code starts[i]}..{@code ends[i]}), or returns
     * it unchanged when it fits.
     */
    public String apply(String text, int[] starts, int[] ends) {
        int n = starts.length;
        if (n <= maxContentTokens) {
            return text;
        }
        int headEnd = ends[headTokens() - 1];
        int tailStart = starts[n - tailTokens()];
        return text.substring(0, headEnd) + " ... " + text.substring(tailStart);
    }
}
