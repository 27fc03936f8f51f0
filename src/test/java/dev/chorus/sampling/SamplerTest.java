package dev.chorus.sampling;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SamplerTest {
    private static final float[] LOGITS = {1f, 3f, 2.5f, -1f, 0f, 2.9f};

    private static int sample(SamplerConfig c, TokenHistory h) {
        return new Sampler(c).sample(LOGITS.clone(), 0, LOGITS.length, h);
    }

    @Test
    void greedyPicksTheArgmax() {
        assertThat(sample(SamplerConfig.greedy(), null)).isEqualTo(1);
    }

    @Test
    void topKOfOneIsGreedyAtAnyTemperature() {
        for (long seed = 0; seed < 20; seed++) {
            assertThat(sample(SamplerConfig.defaults(seed).withTopK(1).withTemperature(5f), null)).isEqualTo(1);
        }
    }

    @Test
    void sameSeedSameSequenceAndDifferentSeedsDiffer() {
        Sampler a = new Sampler(SamplerConfig.defaults(42).withTopK(0).withTopP(1f).withMinP(0f).withTemperature(1.5f));
        Sampler b = new Sampler(SamplerConfig.defaults(42).withTopK(0).withTopP(1f).withMinP(0f).withTemperature(1.5f));
        Sampler c = new Sampler(SamplerConfig.defaults(7).withTopK(0).withTopP(1f).withMinP(0f).withTemperature(1.5f));
        StringBuilder sa = new StringBuilder();
        StringBuilder sb = new StringBuilder();
        StringBuilder sc = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            sa.append(a.sample(LOGITS.clone(), 0, 6, null));
            sb.append(b.sample(LOGITS.clone(), 0, 6, null));
            sc.append(c.sample(LOGITS.clone(), 0, 6, null));
        }
        assertThat(sa.toString()).isEqualTo(sb.toString()).isNotEqualTo(sc.toString());
    }

    @Test
    void frequenciesFollowTheTemperedSoftmax() {
        Sampler s = new Sampler(SamplerConfig.defaults(1).withTopK(0).withTopP(1f).withMinP(0f).withTemperature(1f));
        Map<Integer, Integer> counts = new HashMap<>();
        int n = 40000;
        for (int i = 0; i < n; i++) {
            counts.merge(s.sample(LOGITS.clone(), 0, 6, null), 1, Integer::sum);
        }
        double z = 0;
        for (float l : LOGITS) {
            z += Math.exp(l);
        }
        for (int t = 0; t < LOGITS.length; t++) {
            double p = Math.exp(LOGITS[t]) / z;
            assertThat(counts.getOrDefault(t, 0) / (double) n).as("token %d", t).isCloseTo(p, org.assertj.core.data.Offset.offset(0.01));
        }
    }

    @Test
    void topPAndMinPCutTheTail() {
        // softmax of LOGITS: token 1 ~0.36, 5 ~0.33, 2 ~0.22: top-p 0.6 keeps {1, 5}
        for (long seed = 0; seed < 200; seed++) {
            assertThat(sample(SamplerConfig.defaults(seed).withTopK(0).withMinP(0f).withTopP(0.6f).withTemperature(1f), null))
                    .isIn(1, 5);
            // min-p 0.7: p(2)/p(1) = e^-0.5 = 0.61 is cut, p(5)/p(1) = 0.90 stays
            assertThat(sample(SamplerConfig.defaults(seed).withTopK(0).withTopP(1f).withMinP(0.7f).withTemperature(1f), null))
                    .isIn(1, 5);
        }
    }

    @Test
    void penaltiesFollowLlamaCppFormulas() {
        TokenHistory h = new TokenHistory();
        h.addAll(new int[] {1, 1, 3});
        float[] l = LOGITS.clone();
        new Sampler(SamplerConfig.greedy().withPenalties(2f, 0.5f, 0.25f, 64)).sample(l, 0, 6, h);
        assertThat(l[1]).isEqualTo(3f / 2f - 2 * 0.25f - 0.5f);
        assertThat(l[3]).isEqualTo(-1f * 2f - 0.25f - 0.5f);
        assertThat(l[5]).isEqualTo(2.9f);
        // repeat penalty turns greedy away from the repeated token
        assertThat(sample(SamplerConfig.greedy().withPenalties(1.5f, 0f, 0f, 64), h)).isEqualTo(5);
    }

    @Test
    void largeVocabularyTopKMatchesFullSort() {
        float[] big = new float[151936];
        java.util.SplittableRandom r = new java.util.SplittableRandom(3);
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) r.nextGaussian() * 3;
        }
        for (long seed = 0; seed < 20; seed++) {
            int a = new Sampler(SamplerConfig.defaults(seed).withTopK(40).withTopP(1f).withMinP(0f)).sample(big.clone(), 0, big.length, null);
            int b = new Sampler(SamplerConfig.defaults(seed).withTopK(0).withTopP(1f).withMinP(0f)).sample(cutBelow40th(big), 0, big.length, null);
            assertThat(a).isEqualTo(b);
        }
    }

    private static float[] cutBelow40th(float[] v) {
        float[] sorted = v.clone();
        java.util.Arrays.sort(sorted);
        float threshold = sorted[sorted.length - 40];
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < threshold) {
                out[i] = Float.NEGATIVE_INFINITY;
            }
        }
        return out;
    }

    @Test
    void invalidSettingsAreRejected() {
        assertThatThrownBy(() -> SamplerConfig.greedy().withTopP(0f)).hasMessageContaining("top-p");
        assertThatThrownBy(() -> SamplerConfig.greedy().withTopK(-1)).hasMessageContaining("top-k");
    }
}
