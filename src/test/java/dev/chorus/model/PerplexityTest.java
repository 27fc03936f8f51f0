package dev.chorus.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.SharedData;
import dev.chorus.tokenizer.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;

/** llama-perplexity parity on ../shared/reference/ppl-text.txt (-c 64), per KV cache type. */
class PerplexityTest {
    @ParameterizedTest(name = "{0} {1} KV")
    @CsvSource({
            // stem, our KV type, reference run index (0 = F16 KV, 1 = F32 KV), relative tolerance
            "stories260K,            F32, 1, 1e-4",
            "stories260K,            F16, 0, 5e-3",
            "synth-llama-gqa.F32,    F32, 1, 1e-4",
            "synth-llama-gqa.F32,    F16, 0, 5e-3",
            "synth-llama-gqa.Q4_K_M, F32, 1, 0.02",
    })
    void matchesLlamaPerplexity(String stem, KvType kv, int run, double tolerance) throws Exception {
        JsonNode ref = Reference.JSON.readTree(SharedData.require("reference/" + stem + ".perplexity.json").toFile())
                .get("runs").get(run);
        String text = Files.readString(SharedData.require("reference/ppl-text.txt"));
        text = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        try (Model model = Model.open(Reference.model(stem), ModelFixtures.options().withKvType(kv).withMaxBatch(64))) {
            Tokenizer tok = Tokenizer.fromGguf(model.metadata());
            int[] tokens = tok.encode(text, true, false);
            assertThat(tokens).hasSize(546);
            Perplexity.Result r = Perplexity.compute(model, tokens, 64, tok.bos(), null);
            double expected = ref.get("final_ppl").asDouble();
            System.out.printf("%s %s: ppl %.4f vs llama.cpp %.4f (stderr %.5f vs %.5f)%n", stem, kv, r.ppl(), expected,
                    r.stderr(), ref.get("final_ppl_stderr").asDouble());
            assertThat(r.scoredTokens()).isEqualTo(248);
            assertThat(r.runningPpl()).hasSize(8);
            assertThat(Math.abs(r.ppl() / expected - 1)).isLessThanOrEqualTo(tolerance);
            JsonNode printed = ref.get("printed_running_ppl");
            for (int i = 0; i < 8; i++) {
                assertThat(Math.abs(r.runningPpl().get(i) / printed.get(i).asDouble() - 1)).as("chunk %d", i + 1)
                        .isLessThanOrEqualTo(tolerance + 5e-4 / printed.get(i).asDouble());
            }
            assertThat(Math.abs(r.stderr() / ref.get("final_ppl_stderr").asDouble() - 1)).isLessThanOrEqualTo(tolerance * 10);
        }
    }
}
