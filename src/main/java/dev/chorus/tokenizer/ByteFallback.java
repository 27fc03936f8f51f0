package dev.chorus.tokenizer;

import java.nio.charset.StandardCharsets;

/** Token ids for single bytes, used when text has no token: SentencePiece's {@code <0xNN>} or the byte as text. */
final class ByteFallback {
    private final int[] byteToken = new int[256];

    ByteFallback(Vocab vocab) {
        for (int b = 0; b < 256; b++) {
            int id = vocab.id(String.format("<0x%02X>", b));
            if (id < 0 && b < 0x80) {
                id = vocab.id(String.valueOf((char) b));
            }
            byteToken[b] = id >= 0 ? id : vocab.special(SpecialToken.UNK);
        }
    }

    /** Appends one token per UTF-8 byte of the text (bytes with no token and no unknown token are dropped). */
    void append(String text, IntList out) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int id = byteToken[b & 0xFF];
            if (id >= 0) {
                out.add(id);
            }
        }
    }
}
