package dev.chorus.serve.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.serve.ChatMessage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads OpenAI chat messages, keeping everything a chat template may use: tool-calling turns (an assistant message
 * with {@code tool_calls} and null content, a {@code tool} message with {@code tool_call_id}), {@code name},
 * {@code reasoning_content} and any other field, as given. Content given as parts is flattened to its text
 * (most templates concatenate strings); non-text parts are refused, since Chorus experts read text only.
 */
final class ChatMessagesParser {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");

    private ChatMessagesParser() {
    }

    static List<ChatMessage> parse(JsonNode node) {
        if (node == null) {
            throw ApiException.badRequest("messages", "'messages' is required");
        }
        if (!node.isArray() || node.isEmpty()) {
            throw ApiException.badRequest("messages", "'messages' must be a non-empty array");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(message(node.get(i), "messages[" + i + "]"));
        }
        return out;
    }

    private static ChatMessage message(JsonNode m, String at) {
        if (!m.isObject()) {
            throw ApiException.badRequest(at, at + " must be an object");
        }
        JsonNode role = m.get("role");
        if (role == null || !role.isTextual() || !ROLES.contains(role.asText())) {
            throw ApiException.badRequest(at + ".role", at + ".role must be one of " + ROLES);
        }
        String r = "developer".equals(role.asText()) ? "system" : role.asText();
        requireTextIfPresent(m, "name", at);
        requireTextIfPresent(m, "tool_call_id", at);
        Object toolCalls = toolCalls(m.get("tool_calls"), at + ".tool_calls");
        Map<String, Object> fields = new LinkedHashMap<>();
        m.properties().forEach(e -> fields.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class)));
        String text = content(m.get("content"), at + ".content", r);
        // A tool-calling assistant turn keeps null content, as OpenAI clients send it and templates test for it.
        fields.put("content", text.isEmpty() && toolCalls != null && isNull(m.get("content")) ? null : text);
        if (toolCalls != null) {
            fields.put("tool_calls", toolCalls);
        }
        return new ChatMessage(r, text, fields);
    }

    private static boolean isNull(JsonNode n) {
        return n == null || n.isNull();
    }

    private static void requireTextIfPresent(JsonNode m, String field, String at) {
        JsonNode n = m.get(field);
        if (n != null && !n.isNull() && !n.isTextual()) {
            throw ApiException.badRequest(at + "." + field, at + "." + field + " must be a string");
        }
    }

    /**
     * The tool calls as plain values, each function's {@code arguments} JSON string decoded to an object as vLLM
     * does (templates such as Qwen's write {@code arguments | tojson} and expect a mapping); null when absent.
     */
    private static Object toolCalls(JsonNode calls, String at) {
        if (isNull(calls)) {
            return null;
        }
        if (!calls.isArray()) {
            throw ApiException.badRequest(at, at + " must be an array");
        }
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < calls.size(); i++) {
            String where = at + "[" + i + "]";
            JsonNode call = calls.get(i);
            JsonNode function = call.get("function");
            if (!call.isObject() || function == null || !function.isObject()
                    || !function.path("name").isTextual()) {
                throw ApiException.badRequest(where, where + " must be {\"type\": \"function\", \"function\": "
                        + "{\"name\": ..., \"arguments\": ...}}");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> plain = JSON.convertValue(call, LinkedHashMap.class);
            Map<String, Object> fn = new LinkedHashMap<>(JSON.convertValue(function, LinkedHashMap.class));
            JsonNode args = function.get("arguments");
            if (args != null && args.isTextual()) {
                fn.put("arguments", decodedArguments(args.asText(), where + ".function.arguments"));
            }
            plain.put("function", fn);
            out.add(plain);
        }
        return out;
    }

    private static Object decodedArguments(String arguments, String at) {
        try {
            JsonNode parsed = JSON.readTree(arguments);
            return parsed != null && parsed.isObject() ? JSON.convertValue(parsed, Object.class) : arguments;
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(at, at + " must be a JSON object encoded as a string");
        }
    }

    /** Content as text: a string, or text parts joined; null only for an assistant turn (it may call tools). */
    private static String content(JsonNode c, String at, String role) {
        if (isNull(c)) {
            if ("assistant".equals(role)) {
                return "";
            }
            throw ApiException.badRequest(at, at + " is required");
        }
        if (c.isTextual()) {
            return c.asText();
        }
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < c.size(); i++) {
                JsonNode part = c.get(i);
                String type = part.path("type").asText();
                if (!"text".equals(type) || !part.path("text").isTextual()) {
                    throw ApiException.badRequest(at + "[" + i + "]", at + "[" + i + "] is "
                            + (type.isEmpty() ? "not a text part" : "a '" + type + "' part")
                            + "; Chorus experts read text only ({\"type\": \"text\", \"text\": ...})");
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw ApiException.badRequest(at, at + " must be a string or an array of text parts");
    }
}
