package dev.chorus;

/**
 * A failure caused by what the user gave Chorus (a bad file, an invalid option, an unsupported model).
 * The CLI prints its message as one line; the server maps it to a 4xx answer.
 */
public class ChorusException extends RuntimeException {
    public ChorusException(String message) {
        super(message);
    }

    public ChorusException(String message, Throwable cause) {
        super(message, cause);
    }
}
