package dev.chorus.tokenizer;

/**
 * Turns generated token ids into text as they arrive. Bytes of a code point split across tokens are held back
 * until the code point is complete, so the text never contains a broken character mid-stream.
 */
public interface StreamingDecoder {
    /** Adds one token; returns the text that is now complete (possibly empty). */
    String feed(int id);

    /** Returns whatever is held back, with an incomplete trailing sequence as U+FFFD, and resets. */
    String flush();
}
