package dev.chorus.tokenizer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * llama.cpp replaces the GPT-2 and Llama 3 regexes by hand-written splitters that give the same words as C++'s
 * std::regex on the collapsed text. The same must hold here between those splitters and {@link RegexSplit}, which
 * emulates the std::regex path used for the other pre-tokenizers (e.g. Qwen2).
 */
class PreTokenizerPropertyTest {
    private static final String GPT2_WITH_FINAL_SPACE_RUN = PreTokenizer.Patterns.GPT2 + "|\\s+";

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.of(" ", " ", " ", "\n", "\r", "\t", "a", "b", "B", "é", "Ж", "中", "1", "7", "٣", "½", "'",
                        "s", "S", "l", "L", "e", "E", "v", "d", "m", "t", ".", ",", "!", "$", "(", "😀", "\u00A0",
                        "\u3000", "\u0301", "\u0085", "\u001F")
                .list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    @Property(tries = 3000, seed = "20250221")
    void llama3SplitterMatchesTheRegexPath(@ForAll("texts") String text) {
        int[] cps = Utf.codePoints(text);
        assertThat(split(new Llama3Split(), cps)).isEqualTo(split(new RegexSplit(PreTokenizer.Patterns.LLAMA3), cps));
    }

    @Property(tries = 3000, seed = "20250221")
    void gpt2SplitterMatchesTheRegexPath(@ForAll("texts") String text) {
        int[] cps = Utf.codePoints(text);
        // the hand-written GPT-2 splitter also implements the pattern's final \s+ alternative
        assertThat(split(new Gpt2Split(), cps)).isEqualTo(split(new RegexSplit(GPT2_WITH_FINAL_SPACE_RUN), cps));
    }

    private static String split(PreTokenizer.SplitStep step, int[] cps) {
        IntList in = new IntList();
        if (cps.length > 0) {
            in.add(cps.length);
        }
        IntList out = new IntList();
        step.split(cps, in, out);
        StringBuilder sb = new StringBuilder();
        int pos = 0;
        for (int i = 0; i < out.size(); i++) {
            sb.append('[').append(new String(cps, pos, out.get(i))).append(']');
            pos += out.get(i);
        }
        return sb.toString();
    }
}
