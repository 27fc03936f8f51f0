package dev.chorus.model;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** F32 weights, F32 KV: logits against llama.cpp b4747 within the README's first tolerance row. */
class F32FidelityTest {
    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "synth-llama-gqa.F32", "synth-llama-rope3.F32", "synth-qwen2-bias.F32",
            "synth-qwen3-qknorm.F32"})
    void logitsMatchLlamaCpp(String stem) throws Exception {
        Reference ref = Reference.load(stem);
        float[][] ours = ModelFixtures.allLogits(stem, ref.tokens(), ModelFixtures.options());
        LogitComparison c = LogitComparison.of(ref, ours);
        System.out.println(stem + ": " + c);
        assertThat(c.maxAbsDiff()).as("max |Δlogit|").isLessThanOrEqualTo(1e-3);
        assertThat(c.meanKl()).as("mean KL").isLessThanOrEqualTo(1e-6);
        assertThat(c.maxKl()).as("max KL").isLessThanOrEqualTo(1e-5);
        assertThat(c.illegitimateFlips()).as("argmax flips").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"synth-gemma2-softcap.F32"})
    void gemma2MatchesLlamaCpp(String stem) throws Exception {
        Reference ref = Reference.load(stem);
        float[][] ours = ModelFixtures.allLogits(stem, ref.tokens(), ModelFixtures.options());
        LogitComparison c = LogitComparison.of(ref, ours);
        System.out.println(stem + ": " + c);
        assertThat(c.maxAbsDiff()).as("max |Δlogit|").isLessThanOrEqualTo(0.03);
        assertThat(c.meanKl()).as("mean KL").isLessThanOrEqualTo(1e-5);
        assertThat(c.maxKl()).as("max KL").isLessThanOrEqualTo(1e-4);
        assertThat(c.illegitimateFlips()).as("argmax flips").isZero();
    }

    /** The README's row for an implementation with an F16 KV cache, against the F32-KV reference. */
    @ParameterizedTest
    @ValueSource(strings = {"stories260K", "synth-llama-gqa.F32", "synth-qwen2-bias.F32", "synth-qwen3-qknorm.F32"})
    void withAnF16KvCache(String stem) throws Exception {
        Reference ref = Reference.load(stem);
        float[][] ours = ModelFixtures.allLogits(stem, ref.tokens(), ModelFixtures.options().withKvType(KvType.F16));
        LogitComparison c = LogitComparison.of(ref, ours);
        System.out.println(stem + " (F16 KV): " + c);
        assertThat(c.maxAbsDiff()).as("max |Δlogit|").isLessThanOrEqualTo(0.05);
        assertThat(c.meanKl()).as("mean KL").isLessThanOrEqualTo(2e-5);
        assertThat(c.maxKl()).as("max KL").isLessThanOrEqualTo(2e-4);
        assertThat(c.positions() - c.argmaxDisagreements()).as("argmax agreement")
                .isGreaterThanOrEqualTo((int) Math.ceil(0.98 * c.positions()));
    }
}
