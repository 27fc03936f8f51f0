package dev.chorus.router;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenWindowTest {
    private static final int[] ELLIPSIS = {7, 7, 7};
    /** A whitespace tokenizer standing in for BERT's: one id per word, the word's length. */
    private static final Function<String, int[]> WORDS = text -> Arrays.stream(text.split("[ \\n\\t\\r]+"))
            .filter(w -> !w.isEmpty()).mapToInt(String::length).toArray();

    @Test
    void shortInputIsUnchanged() {
        TokenWindow w = new TokenWindow(20);
        int[] ids = {1, 2, 3};
        assertThat(w.apply(ids, ELLIPSIS)).isSameAs(ids);
        assertThat(w.fit("a bb ccc", WORDS, TokenWindow.Boundaries.WHITESPACE, ELLIPSIS)).containsExactly(1, 2, 3);
    }

    @Test
    void longInputKeepsThreeQuartersHeadThenEllipsisThenTail() {
        TokenWindow w = new TokenWindow(20);
        int[] ids = new int[100];
        Arrays.setAll(ids, i -> 100 + i);
        int[] cut = w.apply(ids, ELLIPSIS);
        assertThat(cut).hasSize(20);
        assertThat(Arrays.copyOf(cut, 15)).containsExactly(Arrays.copyOf(ids, 15));
        assertThat(Arrays.copyOfRange(cut, 15, 18)).containsExactly(ELLIPSIS);
        assertThat(Arrays.copyOfRange(cut, 18, 20)).containsExactly(198, 199);
    }

    /** Tokenizing only the two ends of a long text must give exactly the cut of the fully tokenized text. */
    @Test
    void fitOnTheEndsEqualsCuttingTheWholeTokenization() {
        Random random = new Random(7);
        String[] seps = {" ", "  ", "\n", "\t", " \r\n"};
        for (int trial = 0; trial < 300; trial++) {
            TokenWindow w = new TokenWindow(16 + random.nextInt(120));
            StringBuilder sb = new StringBuilder();
            int words = random.nextInt(trial % 10 == 0 ? 20_000 : 600);
            for (int i = 0; i < words; i++) {
                sb.append("xyzwvutsrqponmlkjihgfedcba", 0, 1 + random.nextInt(random.nextInt(10) == 0 ? 26 : 8));
                sb.append(seps[random.nextInt(seps.length)]);
            }
            String text = sb.toString();
            assertThat(w.fit(text, WORDS, TokenWindow.Boundaries.WHITESPACE, ELLIPSIS)).as("trial %d", trial)
                    .containsExactly(w.apply(WORDS.apply(text), ELLIPSIS));
        }
    }

    @Test
    void aTinyWindowIsRefused() {
        assertThatThrownBy(() -> new TokenWindow(8)).hasMessageContaining("at least 16 tokens");
    }
}
