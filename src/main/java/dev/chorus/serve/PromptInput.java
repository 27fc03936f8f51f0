package dev.chorus.serve;

import java.util.List;

/** What a request asks an expert to continue: a conversation (rendered by the expert's chat template) or raw text. */
public sealed interface PromptInput {
    /** The messages the router sees: the conversation, or the raw prompt as one user message. */
    List<ChatMessage> asMessages();

    record Chat(List<ChatMessage> messages) implements PromptInput {
        public Chat {
            messages = List.copyOf(messages);
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
