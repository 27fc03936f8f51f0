package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The chat-template variables a chat request carries besides its messages: {@code tools} (the function
 * definitions, rendered into the prompt by templates that support tools) and the entries of
 * {@code chat_template_kwargs} (vLLM's extension, e.g. {@code {"enable_thinking": false}}), and {@code tool_choice}
 * ("auto" or "none") when tools are offered. The model's reply is
 * parsed for tool calls by the responder when tools are offered (see {@code ToolCallHold}).
 */
final class TemplateVariables {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Variables Chorus binds itself; a request may not replace them. */
    private static final Set<String> RESERVED = Set.of("messages", "add_generation_prompt", "bos_token", "eos_token");

    private TemplateVariables() {
    }

    static Map<String, Object> of(JsonFields f) {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonNode kwargs = f.node("chat_template_kwargs");
        if (kwargs != null) {
            if (!kwargs.isObject()) {
                throw ApiException.badRequest("chat_template_kwargs", "'chat_template_kwargs' must be an object");
            }
            kwargs.properties().forEach(e -> {
                if (RESERVED.contains(e.getKey())) {
                    throw ApiException.badRequest("chat_template_kwargs." + e.getKey(),
                            "'chat_template_kwargs' may not set '" + e.getKey() + "'; Chorus sets it");
                }
                out.put(e.getKey(), JSON.convertValue(e.getValue(), Object.class));
            });
        }
        JsonNode tools = f.node("tools");
        if (tools != null && !tools.isEmpty()) {
            out.put("tools", JSON.convertValue(tools(tools), Object.class));
        }
        JsonNode choice = f.node("tool_choice");
        toolChoice(choice);
        if (choice != null && out.containsKey("tools")) {
            out.put("tool_choice", choice.asText());   // a remote expert forwards it; templates may read it
        }
        return out;
    }

    private static JsonNode tools(JsonNode tools) {
        if (!tools.isArray()) {
            throw ApiException.badRequest("tools", "'tools' must be an array of {\"type\": \"function\", "
                    + "\"function\": {\"name\": ...}} objects");
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode t = tools.get(i);
            if (!"function".equals(t.path("type").asText()) || !t.path("function").path("name").isTextual()) {
                throw ApiException.badRequest("tools[" + i + "]", "tools[" + i + "] must be {\"type\": "
                        + "\"function\", \"function\": {\"name\": ..., \"parameters\": ...}}");
            }
        }
        return tools;
    }

    /** "auto" and "none" are honoured by the model itself; forcing a call would need constrained decoding. */
    private static void toolChoice(JsonNode choice) {
        if (choice == null || choice.isTextual() && Set.of("auto", "none").contains(choice.asText())) {
            return;
        }
        throw ApiException.badRequest("tool_choice", "only 'tool_choice' \"auto\" or \"none\" is supported "
                + "(Chorus cannot force a tool call)");
    }
}
