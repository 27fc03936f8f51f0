package dev.chorus.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Long degenerate inputs, odd strings and concurrent use. */
class RobustnessTest {
    private static final List<String> VOCABS = List.of("llama-spm", "llama-bpe", "qwen2", "deepseek-llm", "gpt-2",
            "falcon", "bert-bge");

    @Test
    @Timeout(120)
    void longRunsOfOneCharacterClassTokenizeAndRoundTrip() {
        List<String> inputs = List.of("a".repeat(50_000), " ".repeat(50_000), "7".repeat(50_000),
                "🦙".repeat(20_000), "!?".repeat(25_000), "\n".repeat(50_000), "ab ".repeat(20_000));
        for (String vocab : VOCABS) {
            Tokenizer t = VocabCases.tokenizer(vocab);
            for (String input : inputs) {
                int[] ids = t.encode(input, true, true);
                assertThat(ids).as("%s on a run of %s", vocab, input.substring(0, 2)).isNotEmpty();
            }
        }
        Tokenizer qwen = VocabCases.tokenizer("qwen2");
        for (String input : inputs) {
            assertThat(qwen.decode(qwen.encode(input, false, false))).isEqualTo(input);
        }
    }

    @Test
    void loneSurrogatesAndControlCharactersAreTolerated() {
        for (String vocab : VOCABS) {
            Tokenizer t = VocabCases.tokenizer(vocab);
            assertThat(t.encode("a\uD800b\uDC00c\u0000d\u001F", false, false)).isNotEmpty();
        }
        Tokenizer qwen = VocabCases.tokenizer("qwen2");
        assertThat(qwen.decode(qwen.encode("a\uD800b", false, false))).isEqualTo("a\uFFFDb");
    }

    @Test
    void concurrentEncodingGivesTheSameIds() throws Exception {
        Tokenizer t = VocabCases.tokenizer("llama-bpe");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            texts.add("Request " + i + ": the quick brown fox jumps over " + i * 7919 + " lazy dogs, naïvely! 🦙");
        }
        List<int[]> expected = texts.stream().map(s -> t.encode(s, true, false)).toList();
        Tokenizer fresh = VocabCases.load(dev.chorus.SharedData.require("vocab/ggml-vocab-llama-bpe.gguf"));
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int r = 0; r < 8; r++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < texts.size(); i++) {
                        if (!Arrays.equals(fresh.encode(texts.get(i), true, false), expected.get(i))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        }
    }
}
