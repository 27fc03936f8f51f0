package dev.chorus.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The stories260K SentencePiece vocabulary (512 tokens, no add_bos_token key) against llama.cpp's references. */
class SpmTokenizerTest {
    private static Tokenizer stories;

    @BeforeAll
    static void load() {
        stories = VocabCases.load(SharedData.require("models/stories260K.gguf"));
    }

    @Test
    void addsBosByDefaultAndMatchesLlamaCppOnTheReferenceText() throws IOException {
        JsonNode ref = new ObjectMapper().readTree(SharedData.require("reference/stories260K.logits.json").toFile());
        int[] expected = new int[ref.get("tokens").size()];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = ref.get("tokens").get(i).asInt();
        }
        assertThat(stories.addBos()).isTrue();
        assertThat(stories.addEos()).isFalse();
        assertThat(stories.bos()).isEqualTo(1);
        assertThat(stories.eos()).isEqualTo(2);
        assertThat(stories.vocabSize()).isEqualTo(512);
        assertThat(stories.encode(ref.get("text").asText(), true, false)).containsExactly(expected);
        assertThat(stories.encode(ref.get("text").asText(), false, false))
                .containsExactly(Arrays.copyOfRange(expected, 1, expected.length));
    }

    @Test
    void perplexityTextHasTheTokenCountLlamaCppReports() throws IOException {
        String text = Files.readString(SharedData.require("reference/ppl-text.txt"), StandardCharsets.UTF_8);
        String withoutFinalNewline = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        assertThat(stories.encode(withoutFinalNewline, true, false)).hasSize(546).startsWith(1);
    }

    @Test
    void emptyTextGivesOnlyBos() {
        assertThat(stories.encode("", true, false)).containsExactly(1);
        assertThat(stories.encode("", false, false)).isEmpty();
    }

    @Test
    void bosIsParsedOnlyWhenAsked() {
        assertThat(stories.encode("<s>", false, true)).containsExactly(1);
        assertThat(stories.encode("<s>", false, false)).doesNotContain(1);
    }

    @Test
    void decodeDropsTheAddedSpacePrefixAndControlTokens() {
        String text = "Once upon a time, Lily saw a big red ball.";
        int[] withBos = stories.encode(text, true, false);
        assertThat(stories.decode(Arrays.copyOfRange(withBos, 1, withBos.length))).isEqualTo(text);
        // like common_detokenize(special=false): BOS renders as nothing and consumes the leading-space removal
        assertThat(stories.decode(withBos)).isEqualTo(" " + text);
        assertThat(stories.decode(withBos, true)).isEqualTo("<s> " + text);
    }

    @Test
    void phi3SpecialTokensStripTheWhitespaceAfterThem() {
        // llama.cpp marks every special token of a model named phi-3/phi3 with rstrip
        Tokenizer phi3 = VocabCases.tokenizer("phi-3");
        int[] ids = phi3.encode("<|user|>\nHi<|end|>\n<|assistant|>\n", true, true);
        assertThat(ids).containsExactly(1, 32010, phi3.encode("Hi", false, false)[0], 32007, 32001);
        assertThat(phi3.isEndOfGeneration(32007)).isTrue();
    }

    @Test
    void unknownCharactersFallBackToByteTokensAndDecodeBack() {
        String text = "Führer 🦙 naïve";
        int[] ids = stories.encode(text, false, false);
        assertThat(ids).contains(stories.tokenId("<0xC3>"), stories.tokenId("<0xF0>"));
        assertThat(stories.decode(ids)).isEqualTo(text);
    }

    @Test
    void streamingDecoderHoldsBackSplitCodePoints() {
        String text = "ü🦙x";
        int[] ids = stories.encode(text, false, false);
        StreamingDecoder d = stories.newStreamingDecoder();
        StringBuilder all = new StringBuilder();
        for (int id : ids) {
            String piece = d.feed(id);
            assertThat(piece).doesNotContain("\uFFFD");
            all.append(piece);
        }
        all.append(d.flush());
        assertThat(all.toString()).isEqualTo(" " + text);
    }

    @Test
    void tokenBytesAndTextAreExposed() {
        int hello = stories.encode("Once", false, false)[0];
        assertThat(stories.tokenText(hello)).startsWith("\u2581");
        assertThat(new String(stories.tokenBytes(hello), StandardCharsets.UTF_8)).startsWith(" ");
        assertThat(stories.tokenBytes(stories.tokenId("<0x41>"))).containsExactly('A');
        assertThat(stories.isEndOfGeneration(2)).isTrue();
        assertThat(stories.isEndOfGeneration(1)).isFalse();
    }
}
