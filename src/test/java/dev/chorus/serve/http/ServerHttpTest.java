package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.PrometheusText;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.ByteSize;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP layer against fake experts: protocol shapes, every error status, SSE, cancellation, metrics. */
class ServerHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ChorusServer server;
    private final FakeExpert alpha = new FakeExpert("alpha");
    private final FakeExpert beta = new FakeExpert("beta");

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private ChorusServer start(List<String> keys, Limits limits, ChorusServices services) {
        server = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, keys), limits, new ServerMetrics()).start();
        if (services != null) {
            server.ready(services);
        }
        return server;
    }

    private ChorusServer startDefault() {
        return start(List.of(), new Limits(4, 50, 100, ByteSize.parse("16k")), FakeServices.of(2, 4, 50, alpha, beta));
    }

    private HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    private static void assertError(HttpResponse<String> r, int status, String param, String messagePart)
            throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode err = json(r).get("error");
        assertThat(err).as(r.body()).isNotNull();
        assertThat(err.get("message").asText()).contains(messagePart);
        assertThat(err.has("type")).isTrue();
        assertThat(err.has("code")).isTrue();
        if (param != null) {
            assertThat(err.get("param").asText()).isEqualTo(param);
        }
    }

    @Test
    void routedChatCompletionHasOpenAiShapeRoutingHeadersAndUsage() throws Exception {
        startDefault();
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"model":"chorus","messages":[{"role":"system","content":"be brief"},
                 {"role":"user","content":"ask beta something"}],"max_tokens":3,"temperature":0,"seed":7}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        assertThat(body.get("model").asText()).isEqualTo("beta");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("w0 w1 w2");
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(beta.lastPrompt.promptTokens());
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(3 + beta.lastPrompt.promptTokens());
        assertThat(body.get("chorus").get("category").asText()).isEqualTo("beta-category");
        assertThat(body.get("chorus").get("tier").asText()).isEqualTo("warm");
        assertThat(r.headers().firstValue("X-Chorus-Expert")).hasValue("beta");
        assertThat(r.headers().firstValue("X-Chorus-Category")).hasValue("beta-category");
        assertThat(r.headers().firstValue("X-Chorus-Confidence")).hasValue("0.900");
        assertThat(r.headers().firstValue("X-Chorus-Fallback")).hasValue("false");
        assertThat(r.headers().firstValue("X-Chorus-Tier")).hasValue("warm");
        assertThat(r.headers().firstValue("X-Chorus-Switch-Ms")).hasValue("1.500");
        assertThat(beta.lastRequest.sampling().temperature()).isEqualTo(0.0);
        assertThat(beta.lastRequest.sampling().seed()).isEqualTo(7L);
    }

    @Test
    void pinnedModelSkipsTheRouterAndFallbackIsReported() throws Exception {
        startDefault();
        HttpResponse<String> pinned = post("/v1/chat/completions",
                "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"ask beta\"}],\"max_tokens\":1}");
        assertThat(json(pinned).get("model").asText()).isEqualTo("alpha");
        assertThat(pinned.headers().firstValue("X-Chorus-Pinned")).hasValue("true");
        assertThat(pinned.headers().firstValue("X-Chorus-Category")).isEmpty();
        HttpResponse<String> fallback = post("/v1/chat/completions",
                "{\"model\":\"chorus\",\"messages\":[{\"role\":\"user\",\"content\":\"nothing\"}],\"max_tokens\":1}");
        assertThat(fallback.headers().firstValue("X-Chorus-Fallback")).hasValue("true");
        post("/v1/chat/completions", "{\"model\":\"chorus\",\"user\":\"u7\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}],\"max_tokens\":1}");
        assertThat(FakeServices.lastConversation).isEqualTo("u7");
        post("/v1/chat/completions", "{\"model\":\"chorus\",\"user\":\"u7\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"x\"}],\"max_tokens\":1}", "X-Chorus-Conversation", "c9");
        assertThat(FakeServices.lastConversation).isEqualTo("c9");
        assertThat(json(fallback).get("chorus").get("fallback").asBoolean()).isTrue();
    }

    @Test
    void requestFieldsReachTheExpert() throws Exception {
        startDefault();
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"model":"alpha","messages":[{"role":"developer","content":[{"type":"text","text":"a"},
                 {"type":"text","text":"b"}]},{"role":"user","content":"hi"}],"max_completion_tokens":2,
                 "top_p":0.5,"stop":["x","y"],"presence_penalty":1.5,"frequency_penalty":-1,"n":1,
                 "logprobs":true,"top_logprobs":1}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(alpha.lastRequest.maxTokens()).isEqualTo(2);
        assertThat(alpha.lastRequest.sampling().topP()).isEqualTo(0.5);
        assertThat(alpha.lastRequest.stop()).containsExactly("x", "y");
        assertThat(alpha.lastRequest.sampling().presencePenalty()).isEqualTo(1.5);
        assertThat(alpha.lastRequest.sampling().frequencyPenalty()).isEqualTo(-1);
        assertThat(alpha.lastRequest.topLogprobs()).isEqualTo(1);
        assertThat(alpha.lastPrompt.text()).startsWith("<system>ab\n<user>hi");
        JsonNode logprobs = json(r).get("choices").get(0).get("logprobs").get("content");
        assertThat(logprobs).hasSize(2);
        assertThat(logprobs.get(1).get("token").asText()).isEqualTo(" w1");
        assertThat(logprobs.get(1).get("logprob").asDouble()).isEqualTo(-0.5);
    }

    @Test
    void textCompletionsEndpoint() throws Exception {
        startDefault();
        HttpResponse<String> r = post("/v1/completions", "{\"model\":\"beta\",\"prompt\":\"once upon\",\"max_tokens\":2}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("object").asText()).isEqualTo("text_completion");
        assertThat(body.get("choices").get(0).get("text").asText()).isEqualTo("w0 w1");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(2);
        assertThat(beta.lastPrompt.text()).isEqualTo("once upon");
    }

    @Test
    void streamingSendsOpenAiChunksThenUsageThenDone() throws Exception {
        startDefault();
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"model":"chorus","messages":[{"role":"user","content":"alpha"}],"max_tokens":3,"stream":true,
                 "stream_options":{"include_usage":true}}""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.headers().firstValue("X-Chorus-Expert")).hasValue("alpha");
        List<String> events = sseData(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = new ArrayList<>();
        for (String e : events.subList(0, events.size() - 1)) {
            chunks.add(JSON.readTree(e));
        }
        assertThat(chunks).allSatisfy(c -> assertThat(c.get("object").asText()).isEqualTo("chat.completion.chunk"));
        assertThat(chunks.getFirst().get("choices").get(0).get("delta").get("role").asText()).isEqualTo("assistant");
        StringBuilder text = new StringBuilder();
        for (JsonNode c : chunks) {
            JsonNode choices = c.get("choices");
            if (!choices.isEmpty() && choices.get(0).get("delta").has("content")) {
                text.append(choices.get(0).get("delta").get("content").asText());
            }
        }
        assertThat(text.toString()).isEqualTo("w0 w1 w2");
        JsonNode finish = chunks.get(chunks.size() - 2);
        assertThat(finish.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        JsonNode usage = chunks.getLast();
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.get("usage").get("completion_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void streamingTextCompletion() throws Exception {
        startDefault();
        HttpResponse<String> r = post("/v1/completions", "{\"model\":\"alpha\",\"prompt\":\"x\",\"max_tokens\":2,"
                + "\"stream\":true}");
        List<String> events = sseData(r.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(JSON.readTree(events.get(1)).get("choices").get(0).get("text").asText()).isEqualTo("w0");
        assertThat(JSON.readTree(events.get(1)).get("object").asText()).isEqualTo("text_completion");
    }

    @Test
    void clientDisconnectMidStreamCancelsGeneration() throws Exception {
        startDefault();
        alpha.endless = true;
        alpha.millisPerToken = 2;
        String body = "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            int dataLines = 0;
            while (dataLines < 5) {
                String line = in.readLine();
                assertThat(line).isNotNull();
                if (line.contains("data: {")) {
                    dataLines++;
                }
            }
        }
        assertThat(alpha.cancelled.await(10, TimeUnit.SECONDS)).as("the expert saw the cancellation").isTrue();
        int after = alpha.generated.get();
        Thread.sleep(100);
        assertThat(alpha.generated.get()).as("generation stopped").isEqualTo(after);
    }

    @Test
    void errorsUseOpenAiShapeAndNameTheField() throws Exception {
        startDefault();
        String msg = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"}"), 400, "messages", "'messages' is required");
        assertError(post("/v1/chat/completions", "{" + msg + "}"), 400, "model", "'model' is required");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"temperature\":3}"), 400,
                "temperature", "between");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"temperature\":\"hot\"}"), 400,
                "temperature", "must be a number");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"n\":2}"), 400, "n", "'n': 1");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"max_tokens\":0}"), 400,
                "max_tokens", "between");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"max_tokens\":101}"), 400,
                "max_tokens", "at most 100");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"stop\":[1]}"), 400,
                "stop", "strings");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\",\"messages\":[{\"role\":\"robot\","
                + "\"content\":\"x\"}]}"), 400, "messages[0].role", "one of");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"stream_options\":"
                + "{\"include_usage\":true}}"), 400, "stream_options", "stream");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"tools\":[{\"type\":\"function\"}]}"),
                400, "tools[0]", "must be");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\"," + msg + ",\"tool_choice\":\"required\"}"),
                400, "tool_choice", "cannot force");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\",\"messages\":[{\"role\":\"assistant\","
                + "\"content\":null,\"tool_calls\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"arguments\":\"{oops\"}}]}]}"), 400, "messages[0].tool_calls[0].function.arguments", "JSON object");
        assertError(post("/v1/chat/completions", "{not json"), 400, null, "not valid JSON");
        assertError(post("/v1/completions", "{\"model\":\"alpha\",\"prompt\":[1,2]}"), 400, "prompt", "string");
    }

    @Test
    void unknownModelIs404AndUnknownPathToo() throws Exception {
        startDefault();
        assertError(post("/v1/chat/completions",
                "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 404, "model", "gpt-9");
        assertThat(json(post("/v1/chat/completions",
                "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).get("error")
                .get("code").asText()).isEqualTo("model_not_found");
        assertError(get("/v1/nothing"), 404, null, "no such endpoint");
        assertError(get("/v1/models/gpt-9"), 404, "model", "gpt-9");
    }

    @Test
    void badOrMissingApiKeyIs401() throws Exception {
        start(List.of("k1", "k2"), Limits.defaults(), FakeServices.of(1, 4, 50, alpha));
        String body = "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}";
        assertError(post("/v1/chat/completions", body), 401, null, "missing API key");
        assertError(post("/v1/chat/completions", body, "Authorization", "Bearer nope"), 401, null, "invalid API key");
        assertThat(post("/v1/chat/completions", body, "Authorization", "Bearer k2").statusCode()).isEqualTo(200);
        assertThat(get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void oversizedBodyAndTooLongPromptAre413() throws Exception {
        startDefault();
        String big = "{\"model\":\"alpha\",\"prompt\":\"" + "a ".repeat(10_000) + "\"}";
        assertError(post("/v1/completions", big), 413, null, "at most 16384 bytes");
        String longPrompt = "{\"model\":\"alpha\",\"prompt\":\"" + "a ".repeat(60) + "\"}";
        HttpResponse<String> r = post("/v1/completions", longPrompt);
        assertError(r, 413, "prompt", "the prompt is 60 tokens");
        assertThat(json(r).get("error").get("code").asText()).isEqualTo("context_length_exceeded");
    }

    @Test
    void fullQueueIs429WithRetryAfter() throws Exception {
        alpha.gate = new Semaphore(0);
        start(List.of(), new Limits(1, 50, 100, null), FakeServices.of(1, 1, 50, alpha));
        String body = "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}";
        HttpRequest req = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        CompletableFuture<HttpResponse<String>> running = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        awaitTrue(() -> server.isReady() && queued("alpha") == 0 && alpha.lastRequest != null);
        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
        awaitTrue(() -> queued("alpha") == 1);
        HttpResponse<String> rejected = post("/v1/chat/completions", body);
        assertError(rejected, 429, null, "queue of expert 'alpha' is full");
        assertThat(rejected.headers().firstValue("Retry-After")).isPresent();
        assertThat(Integer.parseInt(rejected.headers().firstValue("Retry-After").get())).isPositive();
        alpha.gate.release(2);
        assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(waiting.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aStreamingClientThatLeavesWhileQueuedIsNeverRun() throws Exception {
        alpha.gate = new Semaphore(0);
        start(List.of(), new Limits(4, 50, 100, null), FakeServices.of(1, 4, 50, alpha));
        CompletableFuture<HttpResponse<String>> running = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        awaitTrue(() -> alpha.calls.get() == 1);
        String body = "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":true}";
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            do {
                line = in.readLine();
                assertThat(line).isNotNull();
            } while (!line.startsWith(": waiting"));
        }
        awaitTrue(() -> metric("chorus_requests_seconds_count", "outcome=\"disconnected\"") == 1.0);
        alpha.gate.release(2);
        assertThat(running.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        awaitTrue(() -> metric("chorus_generations_cancelled_total", "expert=\"alpha\"") == 1.0);
        assertThat(alpha.calls.get()).as("the abandoned request never reached the expert").isEqualTo(1);
    }

    @Test
    void aClientThatLeavesBeforeItsBodyIsReadIsCountedAbortedNotAnswered() throws Exception {
        start(List.of(), Limits.defaults(), FakeServices.of(1, 4, 50, alpha));
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 200"
                    + "\r\n\r\n{\"model\":\"alpha\",").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            Thread.sleep(100);
        }
        awaitTrue(() -> metric("chorus_http_aborted_total", "endpoint=\"chat\"") == 1.0);
        assertThat(metric("chorus_http_errors_total", "endpoint=\"chat\"")).isZero();
        assertThat(alpha.calls.get()).isZero();
    }

    private double metric(String name, String label) {
        try {
            return PrometheusText.sum(PrometheusText.parse(get("/metrics").body()), name, label);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
    }

    private int queued(String id) {
        try {
            for (JsonNode e : json(get("/v1/experts")).get("data")) {
                if (e.get("id").asText().equals(id)) {
                    return e.get("queued").asInt();
                }
            }
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
        return -1;
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void keptAliveConnectionsOutliveTheJdkClientsPool() throws Exception {
        // The JDK HttpClient keeps idle connections for jdk.httpclient.keepalive.timeout (30 s); a server that closes
        // at the same moment races the client's next POST ("header parser received no bytes").
        long clientSeconds = Long.getLong("jdk.httpclient.keepalive.timeout", 30);
        assertThat(startDefault().keepAliveIdle()).isGreaterThan(java.time.Duration.ofSeconds(clientSeconds + 15));
    }

    @Test
    void startingServerAnswers503UntilReady() throws Exception {
        start(List.of(), Limits.defaults(), null);
        assertThat(get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/ready");
        assertError(ready, 503, null, "starting");
        assertError(post("/v1/chat/completions", "{\"model\":\"chorus\",\"messages\":[]}"), 503, null, "starting");
        assertThat(ready.headers().firstValue("Retry-After")).isPresent();
        server.ready(FakeServices.of(1, 4, 50, alpha));
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void modelsExpertsAndTierActions() throws Exception {
        startDefault();
        JsonNode models = json(get("/v1/models"));
        assertThat(models.get("data").findValuesAsText("id")).containsExactly("chorus", "alpha", "beta");
        JsonNode experts = json(get("/v1/experts")).get("data");
        assertThat(experts.findValuesAsText("tier")).containsExactly("cold", "cold");
        assertThat(json(post("/v1/experts/beta/load", "")).get("tier").asText()).isEqualTo("hot");
        assertThat(json(post("/v1/experts/beta/pin", "")).get("pinned").asBoolean()).isTrue();
        assertThat(json(post("/v1/experts/beta/pin?pinned=false", "")).get("pinned").asBoolean()).isFalse();
        assertThat(json(post("/v1/experts/beta/unload", "")).get("tier").asText()).isEqualTo("warm");
        assertError(post("/v1/experts/zeta/load", ""), 404, null, "no expert 'zeta'");
        assertError(post("/v1/experts/beta/explode", ""), 404, null, "unknown expert action");
    }

    @Test
    void embeddingsFromTheRouterEncoder() throws Exception {
        startDefault();
        JsonNode r = json(post("/v1/embeddings", "{\"model\":\"chorus\",\"input\":[\"ab\",\"abc d\"]}"));
        assertThat(r.get("data")).hasSize(2);
        assertThat(r.get("data").get(1).get("embedding").get(0).asDouble()).isEqualTo(5.0);
        assertThat(r.get("usage").get("prompt_tokens").asInt()).isEqualTo(3);
        JsonNode b64 = json(post("/v1/embeddings", "{\"model\":\"fake-encoder\",\"input\":\"ab\","
                + "\"encoding_format\":\"base64\"}"));
        byte[] raw = java.util.Base64.getDecoder().decode(b64.get("data").get(0).get("embedding").asText());
        assertThat(java.nio.ByteBuffer.wrap(raw).order(java.nio.ByteOrder.LITTLE_ENDIAN).getFloat(0)).isEqualTo(2f);
        assertError(post("/v1/embeddings", "{\"model\":\"chorus\"}"), 400, "input", "required");
        assertError(post("/v1/embeddings", "{\"model\":\"ada\",\"input\":\"x\"}"), 404, "model", "ada");
    }

    @Test
    void metricsAreValidPrometheusTextAndCountRequests() throws Exception {
        startDefault();
        post("/v1/chat/completions", "{\"model\":\"chorus\",\"messages\":[{\"role\":\"user\",\"content\":\"beta\"}],"
                + "\"max_tokens\":3}");
        post("/v1/chat/completions", "{\"model\":\"alpha\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                + "\"max_tokens\":2,\"stream\":true}");
        post("/v1/chat/completions", "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        HttpResponse<String> r = get("/metrics");
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        Map<String, Double> m = PrometheusText.parse(r.body());
        assertThat(PrometheusText.sum(m, "chorus_requests_seconds_count", "expert=\"beta\"",
                "category=\"beta-category\"")).isEqualTo(1.0);
        assertThat(PrometheusText.sum(m, "chorus_requests_seconds_count", "expert=\"alpha\"",
                "category=\"pinned\"")).isEqualTo(1.0);
        assertThat(PrometheusText.sum(m, "chorus_time_to_first_token_seconds_count")).isEqualTo(2.0);
        assertThat(PrometheusText.sum(m, "chorus_inter_token_latency_seconds_count")).isEqualTo(3.0);
        assertThat(PrometheusText.sum(m, "chorus_router_latency_seconds_count")).isEqualTo(1.0);
        assertThat(PrometheusText.sum(m, "chorus_expert_switches_total")).isEqualTo(2.0);
        assertThat(PrometheusText.sum(m, "chorus_tokens_total", "kind=\"completion\"")).isEqualTo(5.0);
        assertThat(PrometheusText.sum(m, "chorus_http_errors_total", "status=\"404\"")).isEqualTo(1.0);
        assertThat(m).containsKey("chorus_queue_length{expert=\"alpha\"}");
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("chorus_tier_bytes"));
    }

    @Test
    void metricsStayValidUnderConcurrentLoad() throws Exception {
        start(List.of(), new Limits(64, 50, 100, null), FakeServices.of(2, 64, 50, alpha, beta));
        alpha.millisPerToken = 1;
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String model = i % 3 == 0 ? "chorus" : i % 2 == 0 ? "alpha" : "beta";
            String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"beta " + i
                    + "\"}],\"max_tokens\":4,\"stream\":" + (i % 2 == 0) + "}";
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            PrometheusText.parse(get("/metrics").body());
        }
        for (CompletableFuture<HttpResponse<String>> c : calls) {
            assertThat(c.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        Map<String, Double> m = PrometheusText.parse(get("/metrics").body());
        assertThat(PrometheusText.sum(m, "chorus_requests_seconds_count", "outcome=\"ok\"")).isEqualTo(40.0);
        assertThat(PrometheusText.sum(m, "chorus_tokens_total", "kind=\"completion\"")).isEqualTo(160.0);
    }

    private static List<String> sseData(String body) {
        List<String> out = new ArrayList<>();
        for (String block : body.split("\n\n")) {
            if (block.startsWith("data: ")) {
                out.add(block.substring(6));
            } else if (!block.isBlank()) {
                throw new AssertionError("not an SSE data event: " + block);
            }
        }
        return out;
    }
}
