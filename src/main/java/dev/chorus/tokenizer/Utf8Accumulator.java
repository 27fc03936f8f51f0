package dev.chorus.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects bytes and releases the longest prefix that ends on a code point boundary. Bytes that can never
 * complete a code point (a stray continuation byte, an invalid lead byte) are released at once and decode to
 * U+FFFD, so nothing is held back for long.
 */
final class Utf8Accumulator {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    String add(byte[] bytes) {
        pending.writeBytes(bytes);
        byte[] all = pending.toByteArray();
        int complete = completePrefix(all);
        pending.reset();
        pending.write(all, complete, all.length - complete);
        return new String(all, 0, complete, StandardCharsets.UTF_8);
    }

    String flush() {
        byte[] all = pending.toByteArray();
        pending.reset();
        return new String(all, StandardCharsets.UTF_8);
    }

    /** Length of the prefix that does not end inside a possibly-valid incomplete sequence. */
    static int completePrefix(byte[] b) {
        int n = b.length;
        // look back at most 3 bytes for the start of an incomplete sequence
        for (int back = 1; back <= Math.min(3, n); back++) {
            int lead = b[n - back] & 0xFF;
            if ((lead & 0xC0) == 0x80) {
                continue; // continuation byte, keep looking for the lead
            }
            int need = lead >= 0xF0 && lead <= 0xF4 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC2 && lead < 0xE0 ? 2 : 1;
            if (lead >= 0xF5) {
                need = 1;
            }
            return back < need ? n - back : n;
        }
        return n;
    }
}
