package dev.chorus.tokenizer;

import dev.chorus.ChorusException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreTokenizerTest {
    private static List<String> words(PreTokenizer.Kind kind, String text) {
        int[] cps = Utf.codePoints(text);
        IntList lengths = new PreTokenizer(kind).split(cps);
        List<String> words = new ArrayList<>();
        int pos = 0;
        for (int i = 0; i < lengths.size(); i++) {
            words.add(new String(cps, pos, lengths.get(i)));
            pos += lengths.get(i);
        }
        return words;
    }

    @ParameterizedTest
    @EnumSource(PreTokenizer.Kind.class)
    void everyFamilyCoversTheTextExactly(PreTokenizer.Kind kind) {
        String text = "Hello, y'all! 1234567 naïve Ünïcode\t\n\n  spaces 😶‍🌫️ 我想在apple工作 ½ the end.  ";
        assertThat(String.join("", words(kind, text))).isEqualTo(text);
        assertThat(words(kind, "")).isEmpty();
    }

    @Test
    void llama3GroupsDigitsByThreeAndKeepsContractions() {
        assertThat(words(PreTokenizer.Kind.LLAMA3, "I'LL pay 1234567 now"))
                .containsExactly("I", "'LL", " pay", " ", "123", "456", "7", " now");
    }

    @Test
    void gpt2KeepsTheSpaceBeforeWordsAndSplitsSpaceRuns() {
        assertThat(words(PreTokenizer.Kind.GPT2, "Hello   world!!"))
                .containsExactly("Hello", "  ", " world", "!!");
    }

    @Test
    void unassignedCodePointsCountAsOtherCharacters() {
        // llama.cpp gives unassigned code points their own non-zero UNDEFINED flag, so [^\s\p{L}\p{N}] takes them
        assertThat(words(PreTokenizer.Kind.GPT2, "a\u0378! b")).containsExactly("a", "\u0378!", " b");
        assertThat(words(PreTokenizer.Kind.LLAMA3, "a \u0378\u0378x")).containsExactly("a", " \u0378\u0378", "x");
    }

    @Test
    void unknownNamesAreRejectedByName() {
        assertThatThrownBy(() -> PreTokenizer.Kind.of("tekken")).isInstanceOf(ChorusException.class)
                .hasMessageContaining("'tekken'");
        assertThat(PreTokenizer.Kind.of("")).isEqualTo(PreTokenizer.Kind.DEFAULT);
    }
}
