package dev.chorus.router;

import java.util.List;

/**
 * What the server hands the router: the chat messages of a request (OpenAI roles: system, user, assistant, tool) and,
 * when the client supplied one, a conversation id (the OpenAI {@code user} field or an {@code X-Chorus-Conversation}
 * header). Without an id the conversation is identified by a hash of its first system and user messages.
 */
public record RouteRequest(List<Message> messages, String conversationId) {
    public record Message(String role, String content) {
        public Message {
            role = role == null ? "user" : role;
            content = content == null ? "" : content;
        }
    }

    public RouteRequest {
        messages = List.copyOf(messages);
    }

    public static RouteRequest ofPrompt(String prompt) {
        return new RouteRequest(List.of(new Message("user", prompt)), null);
    }
}
