package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;

/**
 * A streamed chat answer put back together from its server-sent events: the text and reasoning deltas joined, the
 * first tool call's name and its argument fragments joined, and the finish reason.
 */
record StreamedAnswer(String content, String reasoning, String toolName, String toolArguments, String finishReason) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static StreamedAnswer of(String sseBody) {
        StringBuilder content = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        String name = null;
        String finish = null;
        for (String line : sseBody.split("\n")) {
            if (!line.startsWith("data: {")) {
                continue;
            }
            JsonNode choice = read(line.substring(6)).get("choices").path(0);
            JsonNode delta = choice.path("delta");
            content.append(delta.path("content").asText(""));
            reasoning.append(delta.path("reasoning_content").asText(""));
            for (JsonNode call : delta.path("tool_calls")) {
                if (call.path("index").asInt(0) == 0) {
                    name = call.path("function").path("name").asText(name);
                    arguments.append(call.path("function").path("arguments").asText(""));
                }
            }
            finish = choice.path("finish_reason").asText(finish);
        }
        return new StreamedAnswer(content.toString(), reasoning.toString(), name, arguments.toString(), finish);
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
