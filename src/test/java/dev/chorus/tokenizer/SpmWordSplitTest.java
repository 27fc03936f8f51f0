package dev.chorus.tokenizer;

import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SentencePiece encoder tokenizes word by word (and caches words); llama.cpp merges over the whole text.
 * On random text both must give the same ids.
 */
class SpmWordSplitTest {
    private static final String[] PARTS = {"\u2581", "\u2581", "\u2581\u2581", "a", "e", "th", "the", "ing", "Lily",
            "on", "ce", ",", ".", "!", "1", "9", "\n", "\t", "ü", "é", "中", "🦙", "'", "s", "x", "q", "ed", "up"};

    @ParameterizedTest
    @ValueSource(strings = {"models/stories260K.gguf", "vocab/ggml-vocab-llama-spm.gguf", "vocab/ggml-vocab-phi-3.gguf"})
    void wordByWordEqualsWholeText(String file) throws IOException {
        Vocab vocab;
        try (GgufFile f = GgufFile.open(SharedData.require(file))) {
            vocab = new Vocab(f.metadata());
        }
        SpmEncoder spm = new SpmEncoder(vocab);
        SplittableRandom rnd = new SplittableRandom(4747);
        for (int n = 0; n < 3000; n++) {
            StringBuilder sb = new StringBuilder();
            int parts = rnd.nextInt(30);
            for (int i = 0; i < parts; i++) {
                sb.append(PARTS[rnd.nextInt(PARTS.length)]);
            }
            String text = sb.toString();
            IntList words = new IntList();
            IntList whole = new IntList();
            spm.encode(text, words);
            spm.encodeWhole(text, whole);
            assertThat(words.toArray()).as("'%s'", text).containsExactly(whole.toArray());
        }
    }
}
