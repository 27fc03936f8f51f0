package dev.chorus.serve;

import java.util.Locale;

/** Why generation ended, in OpenAI's words ({@code stop}, {@code length}); CANCELLED is never sent to a client. */
public enum FinishReason {
    STOP, LENGTH, CANCELLED;

    public String openAiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
