package dev.chorus.model;

import dev.chorus.sampling.SamplerConfig;
import dev.chorus.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Greedy continuations (decode path, one token per step) and teacher-forced NLL against llama.cpp. */
class GreedyAndNllTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // stem, margin below which a divergence is legitimate (README's greedy column for our row)
            "stories260K, 0",
            "synth-llama-gqa.F32, 0", "synth-llama-rope3.F32, 0", "synth-qwen2-bias.F32, 0",
            "synth-qwen3-qknorm.F32, 0", "synth-gemma2-softcap.F32, 0",
            "synth-llama-gqa.F16, 0", "synth-llama-gqa.BF16, 0.5",
            "synth-llama-gqa.Q8_0, 1.5", "synth-llama-gqa.Q4_0, 1.5", "synth-llama-gqa.Q4_K_M, 1.5",
            "synth-llama-gqa.Q6_K, 1.5", "synth-qwen2-bias.Q4_K_M, 1.5", "synth-qwen3-qknorm.Q8_0, 1.5",
    })
    void greedyContinuationMatches(String stem, double legitimateMargin) throws Exception {
        Reference ref = Reference.load(stem);
        try (Model model = Model.open(Reference.model(stem), ModelFixtures.options());
             Sequence seq = model.newSequence()) {
            Engine engine = model.newEngine();
            Batch batch = new Batch(16);
            batch.addAll(seq, ref.greedyPrefix(), 0, ref.greedyPrefix().length, true);
            Logits logits = engine.forward(batch);
            for (int step = 0; step < ref.greedyIds().length; step++) {
                int ours = dev.chorus.sampling.Sampler.argmax(logits.array(), 0, logits.vocabSize());
                int expected = ref.greedyIds()[step];
                if (ours != expected) {
                    assertThat(ref.greedyMargins()[step]).as("%s diverged at step %d where llama.cpp's margin is %f",
                            stem, step, ref.greedyMargins()[step]).isLessThan(legitimateMargin);
                    return;
                }
                batch.clear();
                batch.add(seq, seq.length(), ours, true);
                logits = engine.forward(batch);
            }
        }
    }

    @Test
    void stories260kTeacherForcedNllWithinTolerance() throws Exception {
        Reference ref = Reference.load("stories260K");
        int[] tokens = ref.tokens();
        try (Model model = Model.open(Reference.model("stories260K"), ModelFixtures.options().withMaxBatch(32))) {
            double[] lp = model.tokenLogProbs(new int[] {tokens[0]}, java.util.Arrays.copyOfRange(tokens, 1, tokens.length));
            double nll = -java.util.Arrays.stream(lp).average().orElseThrow();
            assertThat(Math.abs(nll - ref.meanNll())).isLessThanOrEqualTo(1e-4);
            assertThat(Math.abs(nll - ref.meanNll()) / ref.meanNll()).isLessThanOrEqualTo(0.001);
        }
    }

    @Test
    void generatorStreamsTheGreedyContinuationOfStories260k() throws Exception {
        Reference ref = Reference.load("stories260K");
        try (Model model = Model.open(Reference.model("stories260K"), ModelFixtures.options())) {
            Tokenizer tokenizer = Tokenizer.fromGguf(model.metadata());
            StringBuilder streamed = new StringBuilder();
            Generation g = new Generator(model, tokenizer).generate(ref.greedyPrefix(),
                    GenerationOptions.of(ref.greedyIds().length, SamplerConfig.greedy()), streamed::append);
            assertThat(g.ids()).containsExactly(ref.greedyIds());
            assertThat(g.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
            int[] all = java.util.stream.IntStream.concat(java.util.Arrays.stream(ref.greedyPrefix()),
                    java.util.Arrays.stream(ref.greedyIds())).toArray();
            assertThat(g.text()).isEqualTo(streamed.toString());
            assertThat(tokenizer.decode(ref.greedyPrefix()) + g.text()).isEqualTo(tokenizer.decode(all));
        }
    }
}
