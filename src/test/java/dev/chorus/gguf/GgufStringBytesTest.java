package dev.chorus.gguf;

import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** String-array elements are available as the exact bytes of the file, even when they are not valid UTF-8. */
class GgufStringBytesTest {
    @TempDir
    Path dir;

    @Test
    void malformedUtf8ElementsKeepTheirExactBytes() throws Exception {
        byte[] lone = {(byte) 0xC3};                         // a lead byte with no continuation
        byte[] ff = {'a', (byte) 0xFF, 'b'};                  // never valid in UTF-8
        byte[] replacement = "\uFFFD".getBytes(StandardCharsets.UTF_8); // a real U+FFFD, valid
        RawGguf raw = RawGguf.header(3, 0, 2).str("tokenizer.ggml.tokens").u32(GgufValueType.ARRAY.id())
                .u32(GgufValueType.STRING.id()).u64(5).str("ok").u64(1).u8(lone[0]).u64(3);
        for (byte b : ff) {
            raw.u8(b);
        }
        raw.u64(replacement.length);
        for (byte b : replacement) {
            raw.u8(b);
        }
        raw.str("é").str("plain").u32(GgufValueType.ARRAY.id()).u32(GgufValueType.STRING.id()).u64(1).str("x");
        try (GgufFile f = GgufFile.open(raw.writeTo(dir, "raw.gguf"))) {
            byte[][] bytes = f.metadata().getStringArrayBytes("tokenizer.ggml.tokens");
            assertThat(bytes).hasNumberOfRows(5);
            assertThat(bytes[0]).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
            assertThat(bytes[1]).isEqualTo(lone);
            assertThat(bytes[2]).isEqualTo(ff);
            assertThat(bytes[3]).isEqualTo(replacement);
            assertThat(bytes[4]).isEqualTo("é".getBytes(StandardCharsets.UTF_8));
            assertThat(f.metadata().getStringArray("tokenizer.ggml.tokens")[1]).isEqualTo("\uFFFD");
            assertThat(f.metadata().getStringArrayBytes("plain")[0]).isEqualTo(new byte[] {'x'});

            // The writer copies such arrays byte for byte.
            Path copy = dir.resolve("copy.gguf");
            new GgufWriter().putAll(f.metadata()).write(copy);
            try (GgufFile c = GgufFile.open(copy)) {
                assertThat(c.metadata().getStringArrayBytes("tokenizer.ggml.tokens")).isDeepEqualTo(bytes);
                assertThat(c.metadata().entries()).isEqualTo(f.metadata().entries());
            }
        }
    }

    @Test
    void writerTakesExactBytes() throws Exception {
        byte[][] tokens = {{'a'}, {(byte) 0x80}, "ü".getBytes(StandardCharsets.UTF_8)};
        Path file = dir.resolve("w.gguf");
        new GgufWriter().putStringArrayBytes("t", tokens).write(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.metadata().getStringArrayBytes("t")).isDeepEqualTo(tokens);
            assertThat(f.metadata().getStringArray("t")).containsExactly("a", "\uFFFD", "ü");
        }
    }

    @Test
    void validVocabulariesGiveTheirUtf8Bytes() throws Exception {
        try (GgufFile f = GgufFile.open(SharedData.require("vocab/ggml-vocab-llama-bpe.gguf"))) {
            String[] tokens = f.metadata().getStringArray("tokenizer.ggml.tokens");
            byte[][] bytes = f.metadata().getStringArrayBytes("tokenizer.ggml.tokens");
            assertThat(bytes).hasNumberOfRows(tokens.length);
            assertThat(bytes[128000]).isEqualTo("<|begin_of_text|>".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
