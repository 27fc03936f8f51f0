package dev.chorus.tokenizer;

import dev.chorus.ChorusException;
import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufMetadata;
import dev.chorus.gguf.GgufValueType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Byte-level BPE behaviour beyond the conformance vectors: BOS/EOS, special tokens, decoding, errors. */
class BpeTokenizerTest {
    private static Tokenizer llama3() {
        return VocabCases.tokenizer("llama-bpe");
    }

    @Test
    void llama3AddsBosWithoutAKeyAndKnowsItsStopTokens() {
        Tokenizer t = llama3();
        assertThat(t.addBos()).isTrue();
        assertThat(t.addEos()).isFalse();
        assertThat(t.bos()).isEqualTo(128000);
        assertThat(t.eos()).isEqualTo(128001);
        assertThat(t.encode("Hello world", true, false)).containsExactly(128000, 9906, 1917);
        assertThat(t.encode("Hello world", false, false)).containsExactly(9906, 1917);
        assertThat(t.tokenId("<|eot_id|>")).isEqualTo(128009);
        assertThat(t.isEndOfGeneration(128009)).isTrue();
        assertThat(t.isEndOfGeneration(128001)).isTrue();
        assertThat(t.isEndOfGeneration(9906)).isFalse();
        assertThat(t.tokenId("no such token")).isEqualTo(-1);
    }

    @Test
    void controlTokensAreRecognisedOnlyWithParseSpecial() {
        Tokenizer t = llama3();
        String text = "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>";
        assertThat(t.encode(text, false, true)).containsExactly(128006, 882, 128007, 271, 13347, 128009);
        assertThat(t.encode(text, false, false)).doesNotContain(128006, 128007, 128009);
        assertThat(t.decode(t.encode(text, false, true))).isEqualTo("user\n\nHi");
        assertThat(t.decode(t.encode(text, false, true), true)).isEqualTo(text);
    }

    @Test
    void qwenChatMarkupTokenizesToItsControlTokens() {
        Tokenizer qwen = VocabCases.tokenizer("qwen2");
        assertThat(qwen.encode("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", false, true))
                .containsExactly(151644, 872, 198, 13048, 151645, 198, 151644, 77091, 198);
        assertThat(qwen.isEndOfGeneration(151645)).isTrue();
        assertThat(qwen.isEndOfGeneration(151643)).isTrue();
        assertThat(qwen.isEndOfGeneration(151644)).isFalse();
        assertThat(qwen.addBos()).isFalse();
    }

    @Test
    void decodeCleansSpacesLikeLlamaCppWhereTheVocabularyAsksForIt() {
        Tokenizer t = llama3();
        assertThat(t.decode(t.encode("Hello, world!", false, false))).isEqualTo("Hello, world!");
        // llama.cpp's clean_spaces drops the space before ? ! . , (Llama 3 enables it)
        assertThat(t.decode(t.encode("How are you ?", false, false))).isEqualTo("How are you?");
        Tokenizer qwen = VocabCases.tokenizer("qwen2");
        assertThat(qwen.decode(qwen.encode("How are you ?", false, false))).isEqualTo("How are you ?");
    }

    @Test
    void streamingDecoderNeverEmitsABrokenCodePoint() {
        Tokenizer t = llama3();
        String text = "Emoji 😶‍🌫️ and 🦙 and 我想在apple工作 and ½";
        int[] ids = t.encode(text, false, false);
        StreamingDecoder d = t.newStreamingDecoder();
        StringBuilder all = new StringBuilder();
        int heldBack = 0;
        for (int id : ids) {
            String piece = d.feed(id);
            assertThat(piece).doesNotContain("\uFFFD");
            if (piece.isEmpty()) {
                heldBack++;
            }
            all.append(piece);
        }
        all.append(d.flush());
        assertThat(heldBack).as("some code point is split across tokens").isPositive();
        assertThat(all.toString()).isEqualTo(text);
    }

    @Test
    void userDefinedTokensAreAlwaysSplitOut() {
        Tokenizer mpt = VocabCases.tokenizer("mpt");
        // mpt's ids 50254..50276 are user-defined runs of 2..24 spaces
        int[] ids = mpt.encode("a      b", false, false);
        assertThat(ids).contains(mpt.tokenId("      "));
        // llama.cpp splits the longest special tokens out first: 30 spaces become 24 + 6
        int[] run = mpt.encode("a" + " ".repeat(30) + "b", false, false);
        assertThat(run).containsSubsequence(mpt.tokenId(" ".repeat(24)), mpt.tokenId(" ".repeat(6)));
        assertThat(mpt.decode(run)).isEqualTo("a" + " ".repeat(30) + "b");
    }

    @Test
    void specialTokensAmongManyLookalikesAreFound() {
        Tokenizer t = llama3();
        String html = "<div><|eot_id|><p>x</p><|eot_i|><|start_header_id|></div>";
        int[] ids = t.encode(html, false, true);
        assertThat(Arrays.stream(ids).filter(id -> id >= 128000).toArray()).containsExactly(128009, 128006);
        assertThat(t.decode(ids, true)).isEqualTo(html);
    }

    @Test
    void unknownPreTokenizerIsAClearError() throws IOException {
        GgufMetadata md = withKey(SharedData.require("vocab/ggml-vocab-gpt-2.gguf"), "tokenizer.ggml.pre", "no-such-pre");
        assertThatThrownBy(() -> Tokenizer.fromGguf(md)).isInstanceOf(ChorusException.class)
                .hasMessageContaining("unknown pre-tokenizer 'no-such-pre'");
    }

    @Test
    void unknownTokenizerModelIsAClearError() throws IOException {
        GgufMetadata md = withKey(SharedData.require("vocab/ggml-vocab-gpt-2.gguf"), "tokenizer.ggml.model", "rwkv");
        assertThatThrownBy(() -> Tokenizer.fromGguf(md)).isInstanceOf(ChorusException.class)
                .hasMessageContaining("'rwkv'");
    }

    @Test
    void absentPreTokenizerMeansDefault() throws IOException {
        Tokenizer neox = VocabCases.load(SharedData.require("vocab/ggml-vocab-gpt-neox.gguf"));
        assertThat(neox.decode(neox.encode("Hello world 12345!", false, false))).isEqualTo("Hello world 12345!");
    }

    @Test
    void outOfRangeIdsAreRejected() {
        Tokenizer t = llama3();
        assertThatThrownBy(() -> t.decode(new int[] {-1})).isInstanceOf(ChorusException.class);
        assertThatThrownBy(() -> t.tokenText(999_999)).isInstanceOf(ChorusException.class);
    }

    private static GgufMetadata withKey(java.nio.file.Path file, String key, String value) throws IOException {
        try (GgufFile f = GgufFile.open(file)) {
            Map<String, GgufMetadata.Entry> entries = new LinkedHashMap<>(f.metadata().entries());
            entries.put(key, new GgufMetadata.Entry(key, GgufValueType.STRING, value));
            return new GgufMetadata(entries);
        }
    }
}
