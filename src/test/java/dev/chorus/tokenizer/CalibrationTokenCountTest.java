package dev.chorus.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ../shared/data/coe gives, for 160 prompts with references (code, math, knowledge, stories), the number of
 * reference tokens llama.cpp scored: tokenize(BOS + prompt + sep + reference) minus its common prefix with
 * tokenize(BOS + prompt). The 512-token SentencePiece vocabulary must reproduce every count.
 */
class CalibrationTokenCountTest {
    @Test
    void referenceTokenCountsMatchLlamaCpp() throws IOException {
        Tokenizer t = VocabCases.load(SharedData.require("models/experts/expert-code.F32.gguf"));
        ObjectMapper json = new ObjectMapper();
        List<String> rows = Files.readAllLines(SharedData.require("data/coe/calib.jsonl"));
        List<String> counts = Files.readAllLines(SharedData.require("data/coe/calib_nll.jsonl"));
        assertThat(rows).hasSameSizeAs(counts).isNotEmpty();
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = json.readTree(rows.get(i));
            int expected = json.readTree(counts.get(i)).get("n_ref_tokens").asInt();
            String prompt = row.get("prompt").asText();
            String sep = row.get("category").asText().equals("writing") ? " " : "\n";
            int[] full = t.encode(prompt + sep + row.get("reference").asText(), true, false);
            int[] head = t.encode(prompt, true, false);
            int common = 0;
            while (common < Math.min(full.length, head.length) && full[common] == head[common]) {
                common++;
            }
            if (full.length - common != expected) {
                mismatches.add("row " + i + ": " + (full.length - common) + " != " + expected);
            }
        }
        assertThat(mismatches).isEmpty();
    }
}
