package dev.chorus.serve.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.chat.ToolCallSyntax;

import java.util.Map;
import java.util.TreeMap;

/**
 * Collects the tool calls a remote streams as OpenAI {@code delta.tool_calls} pieces (a call's name first, its
 * arguments in fragments, calls told apart by {@code index}) and writes them, once the answer is complete, in the
 * {@link ToolCallSyntax#HERMES} markup that the answer pipeline parses for every expert. So a remote's tool calls
 * reach the client through the same path as a local expert's, whole or streamed.
 */
final class RemoteToolCalls {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The syntax {@link #markup()} writes in: what a remote expert declares as its own. */
    static final ToolCallSyntax SYNTAX = ToolCallSyntax.HERMES;

    private final Map<Integer, Call> calls = new TreeMap<>();

    private static final class Call {
        String name = "";
        final StringBuilder arguments = new StringBuilder();
    }

    /** Adds the pieces of one chunk's {@code delta.tool_calls} array (or of a whole {@code message.tool_calls}). */
    void add(JsonNode toolCalls) {
        if (!toolCalls.isArray()) {
            return;
        }
        for (int i = 0; i < toolCalls.size(); i++) {
            JsonNode piece = toolCalls.get(i);
            Call call = calls.computeIfAbsent(piece.path("index").asInt(i), k -> new Call());
            JsonNode function = piece.path("function");
            if (function.path("name").isTextual()) {
                call.name += function.path("name").asText();
            }
            JsonNode arguments = function.path("arguments");
            if (arguments.isTextual()) {
                call.arguments.append(arguments.asText());
            } else if (arguments.isObject()) {
                call.arguments.append(arguments);
            }
        }
    }

    boolean isEmpty() {
        return calls.isEmpty();
    }

    /** The calls in Hermes markup, one block each; "" when there are none. */
    String markup() {
        StringBuilder out = new StringBuilder();
        for (Call call : calls.values()) {
            ObjectNode node = JSON.createObjectNode().put("name", call.name);
            // The arguments stay the JSON text the remote sent (OpenAI's form), even if it is not valid JSON.
            node.put("arguments", call.arguments.isEmpty() ? "{}" : call.arguments.toString());
            out.append("<tool_call>\n").append(node).append("\n</tool_call>");
        }
        return out.toString();
    }
}
