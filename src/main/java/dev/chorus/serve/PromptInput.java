package dev.chorus.serve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a request asks an expert to continue: a conversation (rendered by the expert's chat template) or raw text. */
public sealed interface PromptInput {
    /** The messages the router sees: the conversation, or the raw prompt as one user message. */
    List<ChatMessage> asMessages();

    /**
     * A conversation. {@code templateVariables} are extra variables for the chat template that the request
     * carries, such as {@code tools} or the entries of {@code chat_template_kwargs} (e.g. {@code enable_thinking}).
     */
    record Chat(List<ChatMessage> messages, Map<String, Object> templateVariables) implements PromptInput {
        public Chat {
            messages = List.copyOf(messages);
            // Values may be JSON null, which Map.copyOf refuses.
            templateVariables = templateVariables == null ? Map.of()
                    : Collections.unmodifiableMap(new LinkedHashMap<>(templateVariables));
        }

        public Chat(List<ChatMessage> messages) {
            this(messages, Map.of());
        }

        @Override
        public List<ChatMessage> asMessages() {
            return messages;
        }
    }

    record Text(String prompt) implements PromptInput {
        @Override
        public List<ChatMessage> asMessages() {
            return List.of(new ChatMessage("user", prompt));
        }
    }
}
