package dev.chorus.router.calibration;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SlidingWindowScorerTest {
    /**
     * One token per character (BOS = 1). The log-prob of the token at window position p is -(1000 * absolute
     * position + context length), so the sum identifies exactly which tokens were scored with how much context.
     */
    static final class RecordingModel implements TokenScorer {
        final List<int[]> windows = new ArrayList<>();
        int[] full;

        @Override
        public int[] tokenize(String text, boolean addBos) {
            int[] t = new int[text.length() + (addBos ? 1 : 0)];
            int o = addBos ? 1 : 0;
            if (addBos) {
                t[0] = 1;
            }
            for (int i = 0; i < text.length(); i++) {
                t[o + i] = 100 + text.charAt(i);
            }
            return t;
        }

        @Override
        public int bosToken() {
            return 1;
        }

        @Override
        public double[] nextTokenLogProbs(int[] tokens) {
            windows.add(tokens.clone());
            double[] lp = new double[tokens.length - 1];
            for (int i = 0; i < lp.length; i++) {
                lp[i] = -(i + 1); // context length of the predicted token (position i + 1)
            }
            return lp;
        }
    }

    @Test
    void shortSequenceScoresOnlyTheReferenceInOnePass() {
        RecordingModel m = new RecordingModel();
        ReferenceNll nll = new SlidingWindowScorer(m, 128, 64).score("abc", "\n", "xyz");
        // Tokens: BOS a b c \n x y z -> the reference starts at position 4 (the separator belongs to it).
        assertThat(nll.tokens()).isEqualTo(4);
        assertThat(nll.sum()).isEqualTo(4 + 5 + 6 + 7);
        assertThat(m.windows).hasSize(1);
    }

    @Test
    void longSequenceUsesWindowsOf128WithStride64AndBosRestarts() {
        RecordingModel m = new RecordingModel();
        String prompt = "p".repeat(30);
        String reference = "r".repeat(269); // 1 + 30 + 1 + 269 = 301 tokens
        ReferenceNll nll = new SlidingWindowScorer(m, 128, 64).score(prompt, "\n", reference);
        assertThat(nll.tokens()).isEqualTo(270); // separator + reference, each exactly once
        assertThat(m.windows).hasSize(4); // starts 0, 64, 128, 192 (ends at 301)
        for (int w = 1; w < m.windows.size(); w++) {
            assertThat(m.windows.get(w)[0]).isEqualTo(1);
            assertThat(m.windows.get(w).length).isLessThanOrEqualTo(128);
        }
        // Window 0 scores positions 31..127 with context p; later windows score their last 64 with context 64..127.
        double expected = 0;
        for (int p = 31; p <= 127; p++) {
            expected += p;
        }
        for (int start : new int[]{64, 128, 192}) {
            for (int p = 64; p < Math.min(128, 301 - start); p++) {
                expected += p;
            }
        }
        assertThat(nll.sum()).isCloseTo(expected, within(1e-9));
    }
}
