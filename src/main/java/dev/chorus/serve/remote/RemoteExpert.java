package dev.chorus.serve.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.ChorusException;
import dev.chorus.chat.ThinkingSyntax;
import dev.chorus.chat.ToolCallSyntax;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ChatMessage;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.OutputFormat;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;
import dev.chorus.serve.config.ExpertConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An expert served by another OpenAI-compatible server (vLLM, llama.cpp's server, another Chorus). Requests are
 * forwarded as streaming calls and the remote chunks are passed through token by token; cancelling closes the
 * connection. Retries and fallback to another expert are the scheduler issue's work, on top of this class.
 */
public final class RemoteExpert implements ExpertBackend {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Without the remote tokenizer, the prompt limit uses a conservative estimate of characters per token. */
    private static final int CHARS_PER_TOKEN_ESTIMATE = 3;
    /** Message fields besides role and content that an OpenAI-compatible server takes (multi-turn tool use). */
    private static final List<String> FORWARDED_MESSAGE_FIELDS = List.of("name", "tool_calls", "tool_call_id");

    private final String id;
    private final String description;
    private final URI baseUrl;
    private final String model;
    private final String apiKey;
    private final HttpClient client;
    private final Duration readTimeout;

    /**
     * @param connectTimeout how long opening a connection may take
     * @param readTimeout    how long the remote may stay silent: before its response headers, and between two
     *                       streamed chunks (a remote that stalls mid-answer is cut off, not waited for forever)
     */
    public RemoteExpert(String id, String description, String baseUrl, String model, String apiKey,
                        Duration connectTimeout, Duration readTimeout) {
        this.id = id;
        this.description = description;
        this.baseUrl = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
        this.model = model;
        this.apiKey = apiKey;
        this.readTimeout = readTimeout;
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** Builds one from its config; the API key is read from the environment variable it names. */
    public static RemoteExpert fromConfig(ExpertConfig c) {
        String key = null;
        if (c.apiKeyEnv() != null) {
            key = System.getenv(c.apiKeyEnv());
            if (key == null) {
                throw new ChorusException("expert '" + c.id() + "': environment variable " + c.apiKeyEnv()
                        + " (api_key_env) is not set");
            }
        }
        return new RemoteExpert(c.id(), c.describe(), c.baseUrl(), c.model(), key, c.connectTimeoutOrDefault(),
                c.readTimeoutOrDefault());
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String kind() {
        return "remote";
    }

    /** The remote's reasoning comes back as a {@code <think>} block before its answer. */
    @Override
    public boolean writesThinking() {
        return true;
    }

    /** The remote's structured tool calls come back re-written in this markup ({@link RemoteToolCalls}). */
    @Override
    public ToolCallSyntax toolCallSyntax() {
        return RemoteToolCalls.SYNTAX;
    }

    @Override
    public PreparedPrompt prepare(PromptInput input) {
        int chars = input.asMessages().stream().mapToInt(m -> m.content().length()).sum();
        return new PreparedPrompt(null, null, (chars + CHARS_PER_TOKEN_ESTIMATE - 1) / CHARS_PER_TOKEN_ESTIMATE);
    }

    @Override
    public void generate(PreparedPrompt prompt, GenerationRequest request, TokenSink sink, CancellationToken cancel) {
        boolean chat = request.input() instanceof PromptInput.Chat;
        HttpRequest.Builder http = HttpRequest.newBuilder(baseUrl.resolve(chat ? "chat/completions" : "completions"))
                .timeout(readTimeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(request)));
        if (apiKey != null) {
            http.header("Authorization", "Bearer " + apiKey);
        }
        long start = System.nanoTime();
        HttpResponse<InputStream> response;
        try {
            response = client.send(http.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            sink.failed(new IOException("remote expert '" + id + "' at " + baseUrl + " is unreachable: " + e, e));
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sink.finished(FinishReason.CANCELLED);
            return;
        }
        try (InputStream in = response.body();
             StallWatch watch = StallWatch.start(readTimeout, () -> closeQuietly(in))) {
            if (response.statusCode() != 200) {
                String detail = new String(in.readNBytes(2000), StandardCharsets.UTF_8);
                sink.failed(new IOException("remote expert '" + id + "' answered HTTP " + response.statusCode() + ": "
                        + detail));
                return;
            }
            cancel.onCancel(() -> closeQuietly(in));
            Relay relay = new Relay(chat, sink, start);
            try {
                sink.finished(relay.run(in, cancel, watch));
            } catch (IOException e) {
                String when = relay.started ? "mid-answer" : "before its first chunk";
                if (cancel.isCancelled()) {
                    sink.finished(FinishReason.CANCELLED);
                } else if (watch.stalled()) {
                    sink.failed(new IOException("remote expert '" + id + "' sent nothing for "
                            + readTimeout.toMillis() + " ms " + when + " (read_timeout)", e));
                } else {
                    sink.failed(new IOException("remote expert '" + id + "' failed " + when + ": " + e.getMessage(),
                            e));
                }
            }
        } catch (IOException e) {
            sink.failed(new IOException("remote expert '" + id + "' failed: " + e.getMessage(), e));
        }
    }

    /**
     * Reads the remote's event stream and passes its text on. The answer counts as started at the first chunk, not
     * at the headers: until then nothing has reached the client, so a failure can still be retried elsewhere.
     */
    private static final class Relay {
        private final boolean chat;
        private final TokenSink sink;
        private final long startNanos;
        private final RemoteToolCalls toolCalls = new RemoteToolCalls();
        private int index;
        private boolean thinking;
        boolean started;

        Relay(boolean chat, TokenSink sink, long startNanos) {
            this.chat = chat;
            this.sink = sink;
            this.startNanos = startNanos;
        }

        FinishReason run(InputStream in, CancellationToken cancel, StallWatch watch) throws IOException {
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            FinishReason reason = FinishReason.STOP;
            String line;
            while ((line = reader.readLine()) != null) {
                watch.alive();
                if (cancel.isCancelled()) {
                    return FinishReason.CANCELLED;
                }
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring(5).trim();
                if (data.equals("[DONE]")) {
                    break;
                }
                JsonNode chunk = JSON.readTree(data);
                if (chunk.has("error")) {
                    throw new IOException(chunk.get("error").path("message").asText("remote error"));
                }
                if (!started) {
                    started = true;
                    sink.started(new ServedFrom("remote", (System.nanoTime() - startNanos) / 1e6));
                }
                JsonNode choice = chunk.path("choices").path(0);
                if (choice.isMissingNode()) {
                    continue;
                }
                JsonNode delta = choice.path("delta");
                if (chat) {
                    // vLLM names the field reasoning_content (older) or reasoning (newer)
                    reasoning(delta.has("reasoning_content") ? delta.get("reasoning_content") : delta.path("reasoning"));
                }
                JsonNode text = chat ? delta.path("content") : choice.path("text");
                if (text.isTextual() && !text.asText().isEmpty()) {
                    text(closeThinking() + text.asText());
                }
                if (chat) {
                    toolCalls.add(delta.path("tool_calls"));
                }
                String finish = choice.path("finish_reason").asText(null);
                if ("length".equals(finish)) {
                    reason = FinishReason.LENGTH;
                }
            }
            if (cancel.isCancelled()) {
                return FinishReason.CANCELLED;
            }
            if (!started) {
                throw new IOException("the stream ended without a chunk");
            }
            String end = closeThinking() + toolCalls.markup();
            if (!end.isEmpty()) {
                text(end);
            }
            return reason;
        }

        private void text(String text) {
            sink.token(GeneratedToken.of(index++, text));
        }

        /** The remote's reasoning goes on inside a {@code <think>} block, which the answer pipeline returns apart. */
        private void reasoning(JsonNode piece) {
            if (piece.isTextual() && !piece.asText().isEmpty()) {
                text((thinking ? "" : ThinkingSyntax.OPEN) + piece.asText());
                thinking = true;
            }
        }

        /** Closes an open thinking block: "</think>", or "" when none is open. */
        private String closeThinking() {
            if (!thinking) {
                return "";
            }
            thinking = false;
            return ThinkingSyntax.CLOSE;
        }
    }

    private byte[] body(GenerationRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        switch (request.input()) {
            case PromptInput.Chat c -> {
                ArrayNode messages = body.putArray("messages");
                for (ChatMessage m : c.messages()) {
                    messages.add(message(m));
                }
                putChatVariables(body, c.templateVariables());
            }
            case PromptInput.Text t -> body.put("prompt", t.prompt());
        }
        SamplingSettings s = request.sampling();
        body.put("temperature", s.temperature());
        body.put("top_p", s.topP());
        if (s.seed() != null) {
            body.put("seed", s.seed());
        }
        body.put("presence_penalty", s.presencePenalty());
        body.put("frequency_penalty", s.frequencyPenalty());
        body.put("max_tokens", request.maxTokens());
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (request.ignoreEos()) {
            body.put("ignore_eos", true);
        }
        if (request.format() == OutputFormat.JSON_OBJECT) {
            body.putObject("response_format").put("type", "json_object");
        }
        body.put("stream", true);
        try {
            return JSON.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The OpenAI fields of a message: text, and the tool calls or tool result it carries in a multi-turn tool use. */
    private static ObjectNode message(ChatMessage m) {
        ObjectNode out = JSON.createObjectNode().put("role", m.role());
        Object content = m.templateFields().get("content");
        out.set("content", content == null ? JSON.nullNode() : JSON.valueToTree(content));
        for (String field : FORWARDED_MESSAGE_FIELDS) {
            Object value = m.templateFields().get(field);
            if (value != null) {
                out.set(field, JSON.valueToTree(value));
            }
        }
        // The request parser decoded each call's arguments for the chat templates; the OpenAI API carries JSON text.
        for (JsonNode call : out.path("tool_calls")) {
            JsonNode arguments = call.path("function").path("arguments");
            if (!arguments.isMissingNode() && !arguments.isTextual()) {
                ((ObjectNode) call.get("function")).put("arguments", arguments.toString());
            }
        }
        return out;
    }

    /** {@code tools} and {@code tool_choice} as the client sent them; other template variables as vLLM's kwargs. */
    private static void putChatVariables(ObjectNode body, Map<String, Object> variables) {
        ObjectNode kwargs = JSON.createObjectNode();
        variables.forEach((name, value) -> {
            switch (name) {
                case "tools", "tool_choice" -> body.set(name, JSON.valueToTree(value));
                default -> kwargs.set(name, JSON.valueToTree(value));
            }
        });
        if (!kwargs.isEmpty()) {
            body.set("chat_template_kwargs", kwargs);
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // Already closed or broken: either way the stream is gone.
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
