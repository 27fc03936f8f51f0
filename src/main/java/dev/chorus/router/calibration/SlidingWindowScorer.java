package dev.chorus.router.calibration;

import dev.chorus.ChorusException;

/**
 * Teacher-forced NLL of a reference, by the method of the shared calibration set (and llama.cpp's perplexity tool):
 * tokenize BOS + prompt + separator + reference in one piece; score every token after the longest common prefix with
 * the tokenized BOS + prompt. A sequence longer than {@code window} is scored in windows of {@code window} tokens
 * advancing by {@code stride}; every window after the first has its first token replaced by BOS and scores only its
 * last {@code window - stride} tokens, so each scored token sees at least {@code stride} tokens of context and every
 * token is scored exactly once.
 */
public final class SlidingWindowScorer implements ReferenceScorer {
    public static final int DEFAULT_WINDOW = 128;
    public static final int DEFAULT_STRIDE = 64;

    private final TokenScorer model;
    private final int window;
    private final int stride;

    public SlidingWindowScorer(TokenScorer model, int window, int stride) {
        if (stride < 1 || stride >= window) {
            throw new IllegalArgumentException("need 1 <= stride < window, got stride " + stride + ", window " + window);
        }
        this.model = model;
        this.window = window;
        this.stride = stride;
    }

    public SlidingWindowScorer(TokenScorer model) {
        this(model, DEFAULT_WINDOW, DEFAULT_STRIDE);
    }

    @Override
    public ReferenceNll score(String prompt, String separator, String reference) {
        int[] full = model.tokenize(prompt + separator + reference, true);
        int[] promptOnly = model.tokenize(prompt, true);
        int first = commonPrefix(full, promptOnly);
        if (first < 1) {
            first = 1; // the BOS token itself is never scored
        }
        if (first >= full.length) {
            throw new ChorusException("reference adds no tokens after the prompt");
        }
        return scoreFrom(full, first);
    }

    /** NLL of {@code tokens[first..]} given everything before. */
    ReferenceNll scoreFrom(int[] tokens, int first) {
        int n = tokens.length;
        double sum = 0;
        int scored = 0;
        for (int start = 0; ; start += stride) {
            int end = Math.min(start + window, n);
            int[] chunk = java.util.Arrays.copyOfRange(tokens, start, end);
            if (start > 0) {
                chunk[0] = model.bosToken();
            }
            double[] logProbs = model.nextTokenLogProbs(chunk);
            // Window-local position p predicts chunk[p]; the first window scores from 1, later ones their new tail.
            int from = start == 0 ? 1 : window - stride;
            for (int p = from; p < chunk.length; p++) {
                if (start + p >= first) {
                    sum -= logProbs[p - 1];
                    scored++;
                }
            }
            if (end == n) {
                break;
            }
        }
        return new ReferenceNll(sum, scored);
    }

    static int commonPrefix(int[] a, int[] b) {
        int i = 0;
        while (i < a.length && i < b.length && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    @Override
    public void close() {
        model.close();
    }
}
