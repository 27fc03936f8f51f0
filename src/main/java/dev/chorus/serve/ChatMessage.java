package dev.chorus.serve;

/** One message of a conversation, as OpenAI's API carries it (text content only). */
public record ChatMessage(String role, String content) {
    public ChatMessage {
        if (role == null || content == null) {
            throw new IllegalArgumentException("a chat message needs a role and content");
        }
    }
}
