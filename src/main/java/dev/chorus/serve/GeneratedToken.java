package dev.chorus.serve;

import java.util.List;

/**
 * One generated token: its id, the text it adds to the answer (may be empty while a multi-byte character or a
 * possible stop string is held back) and, when asked for, its log-probability. An id of -1 marks text released at
 * the end of generation that belongs to no new token.
 */
public record GeneratedToken(int id, String text, Logprob logprob) {
    /** The token's own text, its natural-log probability, and the most likely alternatives at its position. */
    public record Logprob(String token, double logprob, List<Alternative> top) {
        public Logprob {
            top = List.copyOf(top);
        }
    }

    public record Alternative(String token, double logprob) {
    }

    public static GeneratedToken of(int id, String text) {
        return new GeneratedToken(id, text, null);
    }
}
