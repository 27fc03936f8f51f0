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
