package dev.chorus.chat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a model family writes tool calls in its output, recognised from its chat template (the template that teaches
 * the format): Hermes-style {@code <tool_call>{"name": .., "arguments": ..}</tool_call>} blocks (Qwen2.5, Qwen3,
 * Hermes), Llama 3.1's bare JSON object {@code {"name": .., "parameters": ..}} as the whole answer, and Mistral's
 * {@code [TOOL_CALLS][{"name": .., "arguments": ..}]}. Parsing never loses text: output whose markup does not hold
 * valid calls stays content.
 */
public enum ToolCallSyntax {
    /** The template teaches no tool-call format: output is always text. */
    NONE,
    HERMES,
    LLAMA3_JSON,
    MISTRAL;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HERMES_OPEN = "<tool_call>";
    private static final String HERMES_CLOSE = "</tool_call>";
    private static final String PYTHON_TAG = "<|python_tag|>";
    private static final String MISTRAL_MARK = "[TOOL_CALLS]";

    /** A tool call: the function's name and its arguments as a JSON text (as OpenAI's API carries them). */
    public record ToolCall(String name, String arguments) {
    }

    /** An answer split into its text ({@code null} when there is none besides the calls) and its tool calls. */
    public record Reply(String content, List<ToolCall> calls) {
        public Reply {
            calls = List.copyOf(calls);
        }

        static Reply text(String text) {
            return new Reply(text, List.of());
        }
    }

    /** The syntax a chat template teaches; {@link #NONE} for templates without tools (or a null template). */
    public static ToolCallSyntax of(String templateSource) {
        if (templateSource == null) {
            return NONE;
        }
        if (templateSource.contains(HERMES_OPEN)) {
            return HERMES;
        }
        if (templateSource.contains(MISTRAL_MARK)) {
            return MISTRAL;
        }
        if (templateSource.contains(PYTHON_TAG) || templateSource.contains("\"parameters\": dictionary")) {
            return LLAMA3_JSON;
        }
        return NONE;
    }

    /** Splits a finished answer into text and tool calls. */
    public Reply parse(String output) {
        return switch (this) {
            case NONE -> Reply.text(output);
            case HERMES -> hermes(output);
            case LLAMA3_JSON -> llama3(output);
            case MISTRAL -> mistral(output);
        };
    }

    /**
     * Where tool-call markup starts (or may start, with more text to come) in a partial answer, or -1 when none can:
     * a streaming server sends the text before it and holds the rest back until the answer ends.
     */
    public int markupStart(String partial) {
        return switch (this) {
            case NONE -> -1;
            case HERMES -> anywhere(partial, HERMES_OPEN);
            case MISTRAL -> {
                int at = anywhere(partial, MISTRAL_MARK);
                yield at >= 0 ? at : atStart(partial, "[{");
            }
            case LLAMA3_JSON -> {
                int at = atStart(partial, PYTHON_TAG);
                yield at >= 0 ? at : atStart(partial, "{");
            }
        };
    }

    /** The marker's position, or where a prefix of it ends the text. */
    private static int anywhere(String text, String marker) {
        int at = text.indexOf(marker);
        if (at >= 0) {
            return at;
        }
        int partial = Markup.partialAtEnd(text, marker);
        return partial > 0 ? text.length() - partial : -1;
    }

    /** Where the marker (or a prefix of it, or the text whole if all blank so far) begins after leading blanks. */
    private static int atStart(String text, String marker) {
        int start = 0;
        while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        String rest = text.substring(start);
        return rest.startsWith(marker) || marker.startsWith(rest) ? start : -1;
    }

    private static Reply hermes(String output) {
        List<ToolCall> calls = new ArrayList<>();
        StringBuilder content = new StringBuilder();
        int from = 0;
        while (true) {
            int open = output.indexOf(HERMES_OPEN, from);
            if (open < 0) {
                content.append(output, from, output.length());
                break;
            }
            int close = output.indexOf(HERMES_CLOSE, open);
            int end = close < 0 ? output.length() : close;
            ToolCall call = call(output.substring(open + HERMES_OPEN.length(), end), "arguments");
            if (call == null) {
                return Reply.text(output);
            }
            calls.add(call);
            content.append(output, from, open);
            from = close < 0 ? output.length() : close + HERMES_CLOSE.length();
        }
        return reply(content.toString(), calls, output);
    }

    private static Reply llama3(String output) {
        String body = output.strip();
        if (body.startsWith(PYTHON_TAG)) {
            body = body.substring(PYTHON_TAG.length()).strip();
        }
        if (!body.startsWith("{")) {
            return Reply.text(output);
        }
        // One object, or several separated by ';' as Llama 3.1 writes parallel calls.
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode node : values(body.replace("};", "} "))) {
            ToolCall call = node == null ? null : call(node, node.has("parameters") ? "parameters" : "arguments");
            if (call == null) {
                return Reply.text(output);
            }
            calls.add(call);
        }
        return reply("", calls, output);
    }

    private static Reply mistral(String output) {
        int mark = output.indexOf(MISTRAL_MARK);
        String before = mark < 0 ? "" : output.substring(0, mark);
        String body = (mark < 0 ? output : output.substring(mark + MISTRAL_MARK.length())).strip();
        if (!body.startsWith("[")) {
            return Reply.text(output);
        }
        List<ToolCall> calls = new ArrayList<>();
        try {
            JsonNode array = JSON.readTree(body);
            for (JsonNode node : array) {
                ToolCall call = call(node, "arguments");
                if (call == null) {
                    return Reply.text(output);
                }
                calls.add(call);
            }
        } catch (JsonProcessingException e) {
            return Reply.text(output);
        }
        return reply(before, calls, output);
    }

    private static Reply reply(String content, List<ToolCall> calls, String output) {
        if (calls.isEmpty()) {
            return Reply.text(output);
        }
        String text = content.strip();
        return new Reply(text.isEmpty() ? null : text, calls);
    }

    private static ToolCall call(String json, String argumentsField) {
        try {
            return call(JSON.readTree(json.strip()), argumentsField);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A call from {"name": .., argumentsField: {..} or "json text"}; null when it is not one. */
    private static ToolCall call(JsonNode node, String argumentsField) {
        if (node == null || !node.isObject() || !node.path("name").isTextual()) {
            return null;
        }
        JsonNode args = node.get(argumentsField);
        String arguments;
        if (args == null || args.isNull()) {
            arguments = "{}";
        } else if (args.isTextual()) {
            arguments = args.asText();
        } else if (args.isObject()) {
            arguments = args.toString();
        } else {
            return null;
        }
        return new ToolCall(node.get("name").asText(), arguments);
    }

    private static List<JsonNode> values(String text) {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class)
                .with(JsonParser.Feature.ALLOW_COMMENTS).readValues(text)) {
            while (it.hasNextValue()) {
                out.add(it.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            out.add(null);
        }
        return out;
    }

    /** The name used in docs and logs. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
