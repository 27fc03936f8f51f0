package dev.chorus.tokenizer;

import dev.chorus.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every case of every vocabulary in ../shared/vocab must give exactly the ids llama.cpp's test-tokenizer-0 expects
 * (no BOS/EOS, special tokens not parsed).
 */
class TokenizerConformanceTest {
    static List<VocabCases.Case> allCases() {
        List<VocabCases.Case> all = new ArrayList<>();
        for (String vocab : VocabCases.vocabsWithCases()) {
            all.addAll(VocabCases.cases(vocab));
        }
        if (all.isEmpty()) {
            all.add(new VocabCases.Case("(shared data absent)", -1, "", new int[0]));
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("allCases")
    void encodesLikeLlamaCpp(VocabCases.Case c) {
        SharedData.require("vocab/ggml-vocab-" + c.vocab() + ".gguf");
        Tokenizer tokenizer = VocabCases.tokenizer(c.vocab());
        int[] actual = tokenizer.encode(c.input(), false, false);
        assertThat(actual).as("ids for %s: expected %s got %s", c, Arrays.toString(c.expected()),
                Arrays.toString(actual)).containsExactly(c.expected());
    }
}
