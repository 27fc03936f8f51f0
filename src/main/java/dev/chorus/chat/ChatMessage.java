package dev.chorus.chat;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One chat message as templates see it: a dict with {@code role}, {@code content} (a string, null, or a list of
 * content parts) and whatever else the conversation carries ({@code tool_calls}, {@code tool_call_id},
 * {@code reasoning_content}, ...), in insertion order. Values are plain Maps/Lists/Strings/Numbers as Jackson
 * reads them from JSON.
 */
public record ChatMessage(Map<String, Object> fields) {
    public ChatMessage {
        if (fields == null || !(fields.get("role") instanceof String)) {
            throw new IllegalArgumentException("a chat message needs a string 'role'");
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static ChatMessage of(String role, String content) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", role);
        m.put("content", content);
        return new ChatMessage(m);
    }

    /** A message from a JSON object as Jackson reads it ({@code Map<String, Object>}). */
    @SuppressWarnings("unchecked")
    public static ChatMessage fromMap(Map<String, ?> map) {
        return new ChatMessage((Map<String, Object>) map);
    }

    public String role() {
        return (String) fields.get("role");
    }

    /** The content: a String, null, or a List of content parts. */
    public Object content() {
        return fields.get("content");
    }
}
