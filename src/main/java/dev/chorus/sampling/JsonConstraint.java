package dev.chorus.sampling;

import java.util.Arrays;

/**
 * JSON mode: the answer must be one JSON object ({@link JsonGrammar}); generation ends when it closes. Before each
 * draw every token that would break the object is masked; end-of-generation tokens are masked until the object is
 * complete, so an answer cut short only by the token limit can be unfinished.
 */
public final class JsonConstraint implements TokenConstraint {
    private final JsonVocabulary vocabulary;
    private final JsonGrammar grammar = new JsonGrammar();
    private final JsonGrammar probe = new JsonGrammar();
    private final boolean[] allowed;

    public JsonConstraint(JsonVocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.allowed = new boolean[vocabulary.size()];
    }

    @Override
    public int mask(float[] logits, int offset, int vocab) {
        if (vocab != vocabulary.size()) {
            throw new IllegalArgumentException("logits for " + vocab + " tokens, vocabulary of " + vocabulary.size());
        }
        Arrays.fill(allowed, false);
        if (grammar.complete()) {
            System.arraycopy(vocabulary.endOfGeneration, 0, allowed, 0, allowed.length);
        } else {
            markAllowed();
        }
        int count = 0;
        for (int t = 0; t < vocab; t++) {
            if (allowed[t]) {
                count++;
            } else {
                logits[offset + t] = Float.NEGATIVE_INFINITY;
            }
        }
        return count;
    }

    private void markAllowed() {
        boolean plain = grammar.inPlainString();
        if (plain) {
            System.arraycopy(vocabulary.plainText, 0, allowed, 0, allowed.length);
        }
        for (int first = 0; first < 256; first++) {
            probe.copyFrom(grammar);
            if (!probe.accept(first)) {
                continue;
            }
            for (int t : vocabulary.byFirstByte[first]) {
                if (plain && vocabulary.plainText[t]) {
                    continue;
                }
                probe.copyFrom(grammar);
                allowed[t] = probe.accept(vocabulary.bytes[t]);
            }
        }
    }

    @Override
    public void accept(int token) {
        byte[] bytes = vocabulary.bytes[token];
        if (vocabulary.endOfGeneration[token]) {
            return;
        }
        if (bytes == null || !grammar.accept(bytes)) {
            throw new IllegalStateException("token " + token + " does not continue the JSON answer (not masked?)");
        }
    }

    @Override
    public boolean complete() {
        return grammar.complete();
    }
}
