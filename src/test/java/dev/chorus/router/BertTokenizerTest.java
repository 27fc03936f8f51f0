package dev.chorus.router;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.ChorusException;
import dev.chorus.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Chorus's BERT WordPiece tokenizer against the HuggingFace tokenizers library (through DJL, a test-only use) on the
 * all-MiniLM-L6-v2 tokenizer.json: the ids must be identical on every text of the corpora below.
 */
class BertTokenizerTest {
    private static byte[] json;
    private static BertTokenizer ours;
    private static HuggingFaceTokenizer reference;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = BertTokenizerTest.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
            json = in.readAllBytes();
        }
        ours = BertTokenizer.fromJson(json);
        reference = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json),
                Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false"));
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    private static void assertSameIds(List<String> texts) {
        int checked = 0;
        for (String text : texts) {
            long[] expected = reference.encode(text, false, false).getIds();
            int[] actual = ours.encode(text);
            long[] widened = new long[actual.length];
            for (int i = 0; i < actual.length; i++) {
                widened[i] = actual[i];
            }
            assertThat(widened).as("ids of %s", text.length() > 300 ? text.substring(0, 300) + "..." : text)
                    .containsExactly(expected);
            checked++;
        }
        assertThat(checked).isEqualTo(texts.size());
    }

    @Test
    void handPickedEdgeCasesMatchHuggingFace() {
        assertSameIds(List.of(
                "", " ", "Hello, world!", "How do I reverse a linked list in Java?",
                "Café naïve résumé ÉCOLE Ångström", "straße STRASSE", "ΟΔΥΣΣΕΥΣ σοφός", "İstanbul ıi",
                "中文分词测试 and 日本語のテキスト 한국어", "emoji 😀👍🏽 family 👨‍👩‍👧", "tabs\tand\nnewlines\r\nand  spaces",
                "zero\u200Bwidth\uFEFFjoiner", "nbsp\u00A0here and\u2003em space\u3000ideographic",
                "control\u0001chars\u0007\u001Fand DEL\u007F", "replacement \uFFFD char and nul \u0000 here",
                "[CLS] special [SEP] tokens [MASK] in [PAD] text [UNK]", "[cls] lower [Sep]", "a[SEP]b[[MASK]]",
                "x".repeat(100), "y".repeat(101), "supercalifragilisticexpialidocious antidisestablishmentarianism",
                "$100 + 5% = <tag> a^b `code` a|b ~ x_y {braces} @user #hash", "© ® ™ € £ ¥ ° ± × ÷ → ∑ ∞",
                "«quotes» „German“ ‘single’ – dash — em … ellipsis", "e\u0301 o\u0308 combining a\u030A",
                "𝓜𝓪𝓽𝓱 𝔽𝕣𝕒𝕜 bold ＡＢＣ fullwidth １２３", "private \uE000 use", "ﬁ ligature ﬀ", "Ⅻ roman ½ ⅓",
                "unassigned \u0378 and \uFDD0", "line\u2028sep\u2029para\u0085nel", "x\u000By\u000Cz",
                "snake_case camelCase kebab-case dot.case", "def f(x): return x**2 # comment",
                "http://example.com/path?q=1&r=2", "1,234.56 3.14e-10 0x1F", "I'm can't won't y'all"));
    }

    @Test
    void shippedCategoryExamplesMatchHuggingFace() throws IOException {
        List<String> texts = new ArrayList<>();
        for (CategorySpec c : DefaultRouter.categories()) {
            texts.add(c.description());
            texts.addAll(c.examples());
        }
        assertThat(texts).hasSizeGreaterThan(300);
        assertSameIds(texts);
    }

    @Test
    void sharedRouterPromptsMatchHuggingFace() throws IOException {
        Path dir = SharedData.require("data/router");
        List<String> texts = new ArrayList<>();
        ObjectMapper mapper = new ObjectMapper();
        for (String file : List.of("train.jsonl", "dev.jsonl")) {
            for (String line : Files.readAllLines(dir.resolve(file), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    JsonNode row = mapper.readTree(line);
                    texts.add(row.path("prompt").asText());
                }
            }
        }
        assertThat(texts).hasSizeGreaterThan(3000);
        assertSameIds(texts);
    }

    @Test
    void randomMixedScriptTextsMatchHuggingFace() {
        String[] alphabet = {"a", "B", "z", "é", "Ö", "ß", "ñ", "Σ", "ς", "ж", "Я", "中", "語", "ア", "한", "😀", "🏽",
                "\u0301", "\u200B", "\u00A0", " ", " ", " ", "\t", "\n", ".", ",", "!", "?", "-", "_", "'", "\"", "(",
                ")", "$", "+", "=", "€", "©", "…", "—", "«", "1", "9", "[SEP]", "[MASK]", "##", "\u0000", "\uFFFD",
                "\u0007", "İ", "ﬁ", "Ⅻ", "ё"};
        Random random = new Random(20261130);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = 1 + random.nextInt(60);
            for (int j = 0; j < length; j++) {
                sb.append(alphabet[random.nextInt(alphabet.length)]);
            }
            texts.add(sb.toString());
        }
        assertSameIds(texts);
    }

    private static final String[] MIXED_PIECES = {"word ", "mot ", "中", "文", "!", "[SEP]", "[", "]", "SEP", " ", "\n",
            "\u000B", "\u00A0", "é", "e\u0301", "\u0301", "İ", "😀", "..", "-", "x", "ABC", "\t", "\u0000", "ß",
            "\u0085", "\u200B"};

    /** At every index the tokenizer calls a word boundary, the two parts' tokens are the tokens of the whole. */
    @Test
    void wordBoundariesSplitTheTokensExactly() {
        Random random = new Random(5);
        int boundaries = 0;
        for (int trial = 0; trial < 400; trial++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0, n = 1 + random.nextInt(25); i < n; i++) {
                sb.append(MIXED_PIECES[random.nextInt(MIXED_PIECES.length)]);
            }
            String text = sb.toString();
            int[] whole = ours.encode(text);
            for (int i = 1; i < text.length(); i++) {
                if (ours.isWordBoundary(text, i)) {
                    boundaries++;
                    int[] left = ours.encode(text.substring(0, i));
                    int[] right = ours.encode(text.substring(i));
                    int[] joined = java.util.Arrays.copyOf(left, left.length + right.length);
                    System.arraycopy(right, 0, joined, left.length, right.length);
                    assertThat(joined).as("%s cut at %d", text, i).containsExactly(whole);
                }
            }
        }
        assertThat(boundaries).isGreaterThan(1000);
        assertThat(ours.isWordBoundary("a\u000Bb", 1)).isFalse();
        assertThat(ours.isWordBoundary("a[SEP]b", 2)).isFalse();
        assertThat(ours.isWordBoundary("a[SEP]b", 1)).isTrue();
        assertThat(ours.isWordBoundary("a中b", 1)).isTrue();
    }

    /** Tokenizing only the ends of a long text, cut at word boundaries, gives exactly the cut of the whole. */
    @Test
    void windowOverTheEndsEqualsCuttingTheFullTokenization() {
        String[] pieces = MIXED_PIECES;
        Random random = new Random(11);
        int[] ellipsis = ours.encode("...");
        for (int trial = 0; trial < 200; trial++) {
            TokenWindow window = new TokenWindow(16 + random.nextInt(112));
            StringBuilder sb = new StringBuilder();
            int count = random.nextInt(trial % 8 == 0 ? 30_000 : 1_500);
            for (int i = 0; i < count; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = sb.toString();
            assertThat(window.fit(text, ours::encode, ours::isWordBoundary, ellipsis)).as("trial %d", trial)
                    .containsExactly(window.apply(ours.encode(text), ellipsis));
        }
    }

    @Test
    void refusesATokenizerThatIsNotBertWordPiece() {
        String bpe = new String(json, StandardCharsets.UTF_8).replace("\"type\": \"WordPiece\"", "\"type\": \"BPE\"")
                .replace("\"type\":\"WordPiece\"", "\"type\":\"BPE\"");
        assertThatThrownBy(() -> BertTokenizer.fromJson(bpe.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ChorusException.class).hasMessageContaining("model.type is \"BPE\"");
        assertThatThrownBy(() -> BertTokenizer.fromJson("{not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ChorusException.class).hasMessageContaining("not valid JSON");
    }
}
