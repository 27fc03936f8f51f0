package dev.chorus.tokenizer;

import dev.chorus.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * decode(encode(x)) == x for every conformance input, on the vocabularies where llama.cpp's detokenizer gives
 * the text back unchanged (no clean_up_tokenization_spaces, no lossy normalisation).
 */
class RoundTripTest {
    static List<VocabCases.Case> cases() {
        List<VocabCases.Case> all = new ArrayList<>();
        for (String vocab : List.of("llama-spm", "phi-3", "qwen2", "deepseek-llm", "deepseek-coder")) {
            if (VocabCases.vocabsWithCases().contains(vocab)) {
                all.addAll(VocabCases.cases(vocab));
            }
        }
        if (all.isEmpty()) {
            all.add(new VocabCases.Case("(shared data absent)", -1, "", new int[0]));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodeGivesTheTextBack(VocabCases.Case c) {
        SharedData.require("vocab/ggml-vocab-" + c.vocab() + ".gguf");
        Tokenizer t = VocabCases.tokenizer(c.vocab());
        assertThat(t.decode(c.expected())).isEqualTo(c.input());
        assertThat(t.decode(t.encode(c.input(), false, false))).isEqualTo(c.input());
    }
}
