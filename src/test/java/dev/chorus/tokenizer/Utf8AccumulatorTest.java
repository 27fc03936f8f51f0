package dev.chorus.tokenizer;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8AccumulatorTest {
    @Test
    void holdsBackAnIncompleteCodePointUntilItCompletes() {
        byte[] llama = "🦙".getBytes(StandardCharsets.UTF_8);
        Utf8Accumulator acc = new Utf8Accumulator();
        assertThat(acc.add(new byte[] {'a', llama[0]})).isEqualTo("a");
        assertThat(acc.add(new byte[] {llama[1]})).isEmpty();
        assertThat(acc.add(new byte[] {llama[2]})).isEmpty();
        assertThat(acc.add(new byte[] {llama[3], 'b'})).isEqualTo("🦙b");
        assertThat(acc.flush()).isEmpty();
    }

    @Test
    void invalidBytesAreReleasedAsReplacementCharacters() {
        Utf8Accumulator acc = new Utf8Accumulator();
        assertThat(acc.add(new byte[] {(byte) 0x80})).isEqualTo("\uFFFD");
        assertThat(acc.add(new byte[] {(byte) 0xFF, 'x'})).isEqualTo("\uFFFDx");
        assertThat(acc.add(new byte[] {(byte) 0xE2, (byte) 0x82})).isEmpty();
        assertThat(acc.flush()).isEqualTo("\uFFFD");
    }
}
