package dev.chorus.serve.local;

import dev.chorus.serve.SamplingSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TokenSamplerTest {
    @Test
    void temperatureZeroIsArgmax() {
        TokenSampler s = new TokenSampler(new SamplingSettings(0, 1, null, 0, 0));
        assertThat(s.sample(new float[] {0.1f, 3f, 2.9f})).isEqualTo(1);
    }

    @Test
    void frequencyAndPresencePenaltiesLowerRepeatedTokens() {
        TokenSampler s = new TokenSampler(new SamplingSettings(0, 1, null, 0.5, 1.0));
        assertThat(s.sample(new float[] {1f, 2f})).isEqualTo(1);
        // token 1 was generated once: 2 - (1.0 * 1 + 0.5) = 0.5 < 1
        assertThat(s.sample(new float[] {1f, 2f})).isEqualTo(0);
    }

    @Test
    void sameSeedSameSequenceAndFrequenciesFollowSoftmax() {
        float[] logits = {0f, (float) Math.log(3)};
        int[] a = draw(new TokenSampler(new SamplingSettings(1, 1, 7L, 0, 0)), logits, 20_000);
        int[] b = draw(new TokenSampler(new SamplingSettings(1, 1, 7L, 0, 0)), logits, 20_000);
        assertThat(a).isEqualTo(b);
        double ones = java.util.Arrays.stream(a).filter(x -> x == 1).count() / 20_000.0;
        assertThat(ones).isCloseTo(0.75, within(0.02));
    }

    @Test
    void topPKeepsOnlyTheNucleus() {
        float[] logits = {5f, 4.9f, 0f, -1f};
        int[] picks = draw(new TokenSampler(new SamplingSettings(1, 0.9, 3L, 0, 0)), logits, 2000);
        assertThat(picks).containsOnly(0, 1);
    }

    @Test
    void bannedTokensAreNeverChosen() {
        TokenSampler greedy = new TokenSampler(new SamplingSettings(0, 1, null, 0, 0));
        assertThat(greedy.sample(new float[] {1f, 9f, 8f}, id -> id == 1)).isEqualTo(2);
        int[] picks = new int[500];
        TokenSampler random = new TokenSampler(new SamplingSettings(1, 1, 5L, 0, 0));
        for (int i = 0; i < picks.length; i++) {
            picks[i] = random.sample(new float[] {1f, 1f, 1f}, id -> id == 0);
        }
        assertThat(picks).containsOnly(1, 2);
    }

    @Test
    void logSoftmaxIsNormalised() {
        double[] lp = TokenSampler.logSoftmax(new float[] {1f, 2f, 3f});
        double total = 0;
        for (double v : lp) {
            total += Math.exp(v);
        }
        assertThat(total).isCloseTo(1.0, within(1e-9));
    }

    private static int[] draw(TokenSampler s, float[] logits, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = s.sample(logits.clone());
        }
        return out;
    }
}
