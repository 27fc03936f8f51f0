package dev.chorus.serve;

import dev.chorus.ChorusException;

/** The prompt does not fit the expert's context window; the HTTP layer answers 413. */
public final class PromptTooLongException extends ChorusException {
    public PromptTooLongException(String message) {
        super(message);
    }
}
