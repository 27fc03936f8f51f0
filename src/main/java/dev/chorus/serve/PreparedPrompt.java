package dev.chorus.serve;

/**
 * A prompt made ready by one expert before queueing: the text after its chat template and, for local experts, the
 * token ids. The server counts {@link #promptTokens()} against the prompt limit before the request takes a queue
 * slot. Remote experts leave {@code tokens} null and estimate the count.
 */
public record PreparedPrompt(String text, int[] tokens, int promptTokens) {
    public static PreparedPrompt ofTokens(String text, int[] tokens) {
        return new PreparedPrompt(text, tokens, tokens.length);
    }
}
