package dev.chorus.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Non-F32 weights against llama.cpp (F32 KV cache): the README's tolerance rows, and the quality budget: our KL from
 * the F32 parent's reference logits at most 10% above llama.cpp's own.
 * <p>
 * F16/BF16 use their own rows. Block quants quantize activations like ggml, but the tensor kernels' float
 * summation order is not yet bit-identical to ggml's AVX-512 code, and one-ulp differences flip int8 roundings of
 * later activations; measured: most files within the "ggml-style" row (0.35 / 1e-4), a few up to max |Δlogit| 0.54
 * and mean KL 1e-3. So block quants are held to the README's "float activations" row (1.5 / 0.02 / 0.15 / 85 %).
 */
class QuantizedFidelityTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // stem, max |Δlogit|, mean KL, max KL, min argmax agreement
            "synth-llama-gqa.F16,      0.05, 2e-5, 1e-4, 1.00",
            "synth-llama-gqa.BF16,     0.3,  1e-3, 5e-3, 0.97",
            "synth-llama-gqa.Q8_0,     1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q4_0,     1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q4_1,     1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q5_0,     1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q5_1,     1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q2_K,     1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q3_K_M,   1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q4_K_M,   1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q5_K_M,   1.5,  0.02, 0.15, 0.85",
            "synth-llama-gqa.Q6_K,     1.5,  0.02, 0.15, 0.85",
            "synth-qwen2-bias.Q8_0,    1.5,  0.02, 0.15, 0.85",
            "synth-qwen2-bias.Q4_K_M,  1.5,  0.02, 0.15, 0.85",
            "synth-qwen3-qknorm.Q8_0,  1.5,  0.02, 0.15, 0.85",
    })
    void logitsMatchLlamaCppAndKeepTheQualityBudget(String stem, double maxAbs, double meanKl, double maxKl,
                                                     double agreement) throws Exception {
        Reference ref = Reference.load(stem);
        float[][] ours = ModelFixtures.allLogits(stem, ref.tokens(), ModelFixtures.options());
        LogitComparison c = LogitComparison.of(ref, ours);

        String parentStem = stem.substring(0, stem.indexOf('.')) + ".F32";
        Reference parent = Reference.load(parentStem);
        LogitComparison vsParent = LogitComparison.of(parent, ours);
        JsonNode budget = Reference.JSON.readTree(SharedData.require("reference/quality-budget.json").toFile())
                .get("models").get(stem);
        double llamaKl = budget.get("kl_mean").asDouble();
        System.out.printf("%s: %s; KL vs F32 %.5f (llama.cpp %.5f)%n", stem, c, vsParent.meanKl(), llamaKl);

        assertThat(c.maxAbsDiff()).as("max |Δlogit|").isLessThanOrEqualTo(maxAbs);
        assertThat(c.meanKl()).as("mean KL").isLessThanOrEqualTo(meanKl);
        assertThat(c.maxKl()).as("max KL").isLessThanOrEqualTo(maxKl);
        assertThat(c.illegitimateFlips()).as("argmax flips beyond near-ties").isZero();
        assertThat(c.argmaxAgreement()).as("argmax agreement").isGreaterThanOrEqualTo(agreement);
        assertThat(vsParent.meanKl()).as("KL from the F32 model").isLessThanOrEqualTo(llamaKl * 1.10);
    }
}
