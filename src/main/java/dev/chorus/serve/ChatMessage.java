package dev.chorus.serve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message of a conversation. {@code content} is its text (text parts joined, "" when the message has none,
 * e.g. an assistant turn that only calls tools): what the router and text-only backends read.
 * {@code templateFields} is the whole message as the chat template sees it: role, content (null where the client
 * sent none) and whatever else it carries ({@code tool_calls}, {@code tool_call_id}, {@code name},
 * {@code reasoning_content}, ...), as plain Maps/Lists/Strings/Numbers.
 */
public record ChatMessage(String role, String content, Map<String, Object> templateFields) {
    public ChatMessage {
        if (role == null || content == null) {
            throw new IllegalArgumentException("a chat message needs a role and content");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("role", role);
        fields.put("content", content);
        if (templateFields != null) {
            fields.putAll(templateFields);
        }
        fields.put("role", role);
        templateFields = Collections.unmodifiableMap(fields);
    }

    /** A plain text message. */
    public ChatMessage(String role, String content) {
        this(role, content, null);
    }
}
