package dev.chorus.chat;

import dev.chorus.ChorusException;

/**
 * A chat template failed: it does not parse, it hit an error while rendering, or it called
 * {@code raise_exception(message)} to reject the conversation (then {@link #raisedByTemplate()} is true and the
 * message is exactly the template's text, e.g. "Conversation roles must alternate user/assistant/user/assistant/...").
 */
public final class ChatTemplateException extends ChorusException {
    private final boolean raisedByTemplate;

    public ChatTemplateException(String message) {
        this(message, false);
    }

    private ChatTemplateException(String message, boolean raisedByTemplate) {
        super(message);
        this.raisedByTemplate = raisedByTemplate;
    }

    static ChatTemplateException raised(String message) {
        return new ChatTemplateException(message, true);
    }

    /** True when the template itself rejected the input through {@code raise_exception}. */
    public boolean raisedByTemplate() {
        return raisedByTemplate;
    }
}
