package dev.chorus.gguf;

import dev.chorus.ChorusException;

/** A GGUF file is malformed or hostile. The message names the problem and the byte offset where it was found. */
public final class GgufFormatException extends ChorusException {
    private final long offset;

    public GgufFormatException(String problem, long offset) {
        super(problem + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset in the file at which the problem was detected. */
    public long offset() {
        return offset;
    }
}
