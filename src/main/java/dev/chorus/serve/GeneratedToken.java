package dev.chorus.serve;

import java.util.List;

/**
 * One generated token: its id, the text it adds to the answer (may be empty while a multi-byte character or a
 * possible stop string is held back), and optionally its log-probability with the most likely alternatives.
 */
public record GeneratedToken(int id, String text, Double logprob, List<Alternative> topLogprobs) {
    public record Alternative(String token, double logprob) {
    }

    public static GeneratedToken of(int id, String text) {
        return new GeneratedToken(id, text, null, List.of());
    }
}
