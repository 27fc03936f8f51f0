package dev.chorus.chat.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.ChorusException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Streams chat completions from an OpenAI-compatible server (Chorus or any other): POST /v1/chat/completions with
 * {@code stream: true}, Server-Sent Events in OpenAI's chunk format, ending with {@code data: [DONE]}.
 */
public final class ChatClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROUTING_HEADER_PREFIX = "x-chorus-";

    private final URI endpoint;
    private final String model;
    private final String apiKey;
    private final HttpClient http;

    /** One streamed answer: its text, the X-Chorus-* routing headers (prefix removed, lower case), and metadata. */
    public record Answer(String content, Map<String, String> routing, String model, String finishReason) {
    }

    public ChatClient(URI baseUrl, String model, String apiKey) {
        String base = baseUrl.toString().replaceAll("/+$", "");
        this.endpoint = URI.create(base + "/v1/chat/completions");
        this.model = model;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /**
     * Sends the conversation and calls {@code onDelta} with each piece of the answer as it arrives.
     *
     * @throws ChorusException when the server is unreachable or answers with an error
     */
    public Answer stream(List<Map<String, Object>> messages, Consumer<String> onDelta) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode list = body.putArray("messages");
        messages.forEach(m -> list.add(JSON.valueToTree(m)));
        body.put("stream", true);
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                // Until the response headers arrive; a cold expert may first have to be loaded.
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null && !apiKey.isEmpty()) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new ChorusException("cannot reach " + endpoint + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChorusException("interrupted while waiting for " + endpoint, e);
        }
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                throw new ChorusException("server answered " + response.statusCode() + ": "
                        + errorMessage(String.join("\n", lines.toList())));
            }
            return readEvents(lines.iterator(), routingHeaders(response), onDelta);
        }
    }

    private static Answer readEvents(Iterator<String> lines, Map<String, String> routing, Consumer<String> onDelta) {
        StringBuilder content = new StringBuilder();
        StringBuilder data = new StringBuilder();
        String answeredBy = null;
        String finish = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.startsWith("data:")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(line.substring(5).stripLeading());
                continue;
            }
            if (!line.isEmpty() || data.isEmpty()) {
                continue; // comments (":"), event:/id: fields, keep-alives
            }
            String payload = data.toString();
            data.setLength(0);
            if (payload.equals("[DONE]")) {
                return new Answer(content.toString(), routing, answeredBy, finish);
            }
            JsonNode chunk = parseChunk(payload);
            if (chunk.has("error")) {
                throw new ChorusException("server error while streaming: " + errorMessage(payload));
            }
            answeredBy = chunk.path("model").isTextual() ? chunk.get("model").asText() : answeredBy;
            JsonNode choice = chunk.path("choices").path(0);
            String delta = choice.path("delta").path("content").asText("");
            if (!delta.isEmpty()) {
                content.append(delta);
                onDelta.accept(delta);
            }
            if (choice.path("finish_reason").isTextual()) {
                finish = choice.get("finish_reason").asText();
            }
        }
        throw new ChorusException("the stream ended without [DONE] (connection closed by the server)");
    }

    private static JsonNode parseChunk(String payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new ChorusException("the server sent an event that is not JSON: " + payload, e);
        }
    }

    private static Map<String, String> routingHeaders(HttpResponse<?> response) {
        Map<String, String> routing = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.startsWith(ROUTING_HEADER_PREFIX) && !values.isEmpty()) {
                routing.put(lower.substring(ROUTING_HEADER_PREFIX.length()), String.join(",", values));
            }
        });
        return routing;
    }

    /** The message of an OpenAI error body ({"error": {"message": ...}}), else the body itself. */
    private static String errorMessage(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            JsonNode message = node.path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
        } catch (IOException notJson) {
            // fall through
        }
        return body.isBlank() ? "(empty body)" : body.strip();
    }

    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
    }
}
