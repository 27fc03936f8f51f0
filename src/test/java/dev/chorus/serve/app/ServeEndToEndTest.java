package dev.chorus.serve.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;
import dev.chorus.serve.PrometheusText;
import dev.chorus.sampling.JsonGrammar;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ConfigLoader;
import dev.chorus.tokenizer.Tokenizer;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole server with REAL experts (the four tiny trained llama models in ../shared/models), the shipped router
 * and the expert store, driven by the official OpenAI Java SDK and LangChain4j as clients.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeEndToEndTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "test-key";
    private ChorusApp app;
    private OpenAIClient client;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        Path experts = SharedData.require("models/experts");
        Path stories = SharedData.require("models/stories260K.gguf");
        dir = Files.createTempDirectory("chorus-e2e");
        Path yaml = dir.resolve("chorus.yaml");
        Files.writeString(yaml, """
                server:
                  port: 0
                  threads: 1
                  parallel: 2
                  api_keys: [%s]
                experts:
                  - id: code
                    path: %s/expert-code.Q8_0.gguf
                    description: Python code
                  - id: math
                    path: %s/expert-math.Q8_0.gguf
                  - id: knowledge
                    path: %s/expert-knowledge.Q8_0.gguf
                  - id: stories
                    path: %s
                categories:
                  - {name: coding, expert: code}
                  - {name: math, expert: math}
                  - {name: reasoning, expert: math}
                  - {name: stem, expert: knowledge}
                  - {name: humanities, expert: knowledge}
                  - {name: writing, expert: stories}
                  - {name: roleplay, expert: stories}
                fallback: stories
                memory:
                  hot_memory: 8m
                  warm_memory: 16m
                limits:
                  max_prompt_tokens: 100
                  max_output_tokens: 400
                """.formatted(KEY, experts, experts, experts, stories));
        ChorusConfig config = ConfigLoader.load(yaml);
        app = ChorusApp.start(config, new PrintStream(OutputStream.nullOutputStream()));
        client = OpenAIOkHttpClient.builder().baseUrl(app.baseUrl() + "/v1").apiKey(KEY).build();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void greedyTextCompletionMatchesLlamaCppThroughTheWholeServer() throws Exception {
        JsonNode ref = JSON.readTree(SharedData.require("reference/stories260K.logits.json").toFile()).get("greedy");
        int[] prefix = ids(ref.get("prefix_ids"));
        int[] greedy = ids(ref.get("ids"));
        Tokenizer tokenizer;
        try (GgufFile f = GgufFile.open(SharedData.require("models/stories260K.gguf"))) {
            tokenizer = Tokenizer.fromGguf(f.metadata());
        }
        String prompt = tokenizer.decode(Arrays.copyOfRange(prefix, 1, prefix.length));
        // Compare up to the first step where llama.cpp's top two logits were nearly tied (a legitimate flip).
        int sure = 0;
        while (sure < greedy.length && ref.get("top1_minus_top2").get(sure).asDouble() > 0.5) {
            sure++;
        }
        int[] prefixAndGreedy = Arrays.copyOf(Arrays.copyOfRange(prefix, 1, prefix.length), prefix.length - 1 + sure);
        System.arraycopy(greedy, 0, prefixAndGreedy, prefix.length - 1, sure);
        String expected = tokenizer.decode(prefixAndGreedy).substring(prompt.length());
        Completion c = client.completions().create(CompletionCreateParams.builder()
                .model(CompletionCreateParams.Model.of("stories")).prompt(prompt).maxTokens(32).temperature(0.0)
                .build());
        assertThat(c.model()).isEqualTo("stories");
        assertThat(c.usage().get().promptTokens()).isEqualTo(prefix.length);
        assertThat(c.usage().get().completionTokens()).isEqualTo(32);
        assertThat(c.choices().get(0).finishReason().asString()).isEqualTo("length");
        assertThat(sure).isGreaterThan(8);
        assertThat(c.choices().get(0).text()).startsWith(expected);
    }

    private static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    @Test
    void openAiSdkRoutesACodingQuestionToTheCodeExpertWithHeaders() throws Exception {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chorus")
                .addUserMessage("Write a Python function that reverses a linked list.")
                .maxCompletionTokens(16).temperature(0.0).build();
        HttpResponseFor<ChatCompletion> raw = client.chat().completions().withRawResponse().create(params);
        ChatCompletion c = raw.parse();
        assertThat(raw.headers().values("X-Chorus-Category")).containsExactly("coding");
        assertThat(raw.headers().values("X-Chorus-Expert")).containsExactly("code");
        assertThat(c.model()).isEqualTo("code");
        assertThat(raw.headers().values("X-Chorus-Tier")).hasSize(1);
        assertThat(raw.headers().values("X-Chorus-Switch-Ms")).hasSize(1);
        assertThat(Double.parseDouble(raw.headers().values("X-Chorus-Confidence").getFirst())).isBetween(0.0, 1.0);
        assertThat(c.choices().get(0).message().content()).isPresent();
        assertThat(c.usage().get().completionTokens()).isBetween(1L, 16L);
        JsonNode chorus = JSON.valueToTree(c._additionalProperties().get("chorus"));
        assertThat(chorus.get("expert").asText()).isEqualTo("code");
    }

    @Test
    void openAiSdkStreamingEqualsTheWholeAnswerAndReportsUsage() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("math")
                .addUserMessage("Tom has 3 apples and buys 5 more. How many?")
                .maxCompletionTokens(24).temperature(0.0).build();
        String whole = client.chat().completions().create(params).choices().get(0).message().content().orElseThrow();
        StringBuilder streamed = new StringBuilder();
        long[] usage = {-1};
        String[] model = {null};
        try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params.toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            s.stream().forEach(chunk -> {
                model[0] = chunk.model();
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append));
                chunk.usage().ifPresent(u -> usage[0] = u.completionTokens());
            });
        }
        assertThat(streamed.toString()).isEqualTo(whole);
        assertThat(model[0]).isEqualTo("math");
        assertThat(usage[0]).isBetween(1L, 24L);
    }

    @Test
    void sameSeedSameAnswerWhenSampling() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("knowledge")
                .addUserMessage("Which planet is the largest?").maxCompletionTokens(20).temperature(0.9).topP(0.9)
                .seed(42).build();
        // The first answer of a fresh JVM may differ: until C2 compiles the kernels, the Vector API's interpreted
        // reduceLanes adds lanes in another order, and a last-bit change can flip an activation's quantization and
        // then a sampled token (docs/ENGINE.md, "Determinism"). Reproducibility is promised for compiled kernels.
        client.chat().completions().create(params);
        String a = client.chat().completions().create(params).choices().get(0).message().content().orElseThrow();
        String b = client.chat().completions().create(params).choices().get(0).message().content().orElseThrow();
        assertThat(a).isEqualTo(b).isNotEmpty();
    }

    @Test
    void langChain4jClientsStreamingAndNot() throws Exception {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(app.baseUrl() + "/v1").apiKey(KEY)
                .modelName("stories").temperature(0.0).maxTokens(20).build();
        String whole = model.chat("Tell me a story about a cat.");
        assertThat(whole).isNotEmpty();
        OpenAiStreamingChatModel streaming = OpenAiStreamingChatModel.builder().baseUrl(app.baseUrl() + "/v1")
                .apiKey(KEY).modelName("stories").temperature(0.0).maxTokens(20).build();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        StringBuilder parts = new StringBuilder();
        streaming.chat("Tell me a story about a cat.", new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                parts.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        ChatResponse response = done.get(60, TimeUnit.SECONDS);
        assertThat(parts.toString()).isEqualTo(whole);
        assertThat(response.aiMessage().text()).isEqualTo(whole);
        assertThat(response.tokenUsage().outputTokenCount()).isBetween(1, 20);
    }

    @Test
    void modelsExpertsEmbeddingsAndMetrics() throws Exception {
        assertThat(client.models().list().data()).extracting(Model::id)
                .containsExactly("chorus", "code", "math", "knowledge", "stories");
        CreateEmbeddingResponse emb = client.embeddings().create(EmbeddingCreateParams.builder().model("chorus")
                .input(EmbeddingCreateParams.Input.ofArrayOfStrings(List.of("a cat", "a dog"))).build());
        assertThat(emb.data()).hasSize(2);
        assertThat(emb.data().get(0).embedding()).hasSize(384);

        HttpClient http = HttpClient.newHttpClient();
        http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/experts/math/load"))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode experts = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/experts"))
                .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode math = null;
        for (JsonNode e : experts.get("data")) {
            assertThat(e.get("tier").asText()).isIn("hot", "warm", "cold");
            if (e.get("id").asText().equals("math")) {
                math = e;
            }
        }
        assertThat(math).isNotNull();
        assertThat(math.get("tier").asText()).isEqualTo("hot");
        assertThat(math.get("bytes").asLong()).isGreaterThan(1_000_000);
        assertThat(math.get("stats").get("loads").asLong()).isPositive();

        String metrics = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> m = PrometheusText.parse(metrics);
        assertThat(PrometheusText.sum(m, "chorus_tier_bytes", "tier=\"hot\"")).isPositive();
        assertThat(m.keySet()).anyMatch(k -> k.startsWith("chorus_memory"));
    }

    @Test
    void stopSequencesAndLogprobsOnARealExpert() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String base = "{\"model\":\"stories\",\"prompt\":\"Once upon a time, there was\",\"max_tokens\":24,"
                + "\"temperature\":0";
        JsonNode free = JSON.readTree(post(http, "/v1/completions", base + "}"));
        String text = free.get("choices").get(0).get("text").asText();
        assertThat(text).contains("Lily");
        JsonNode stopped = JSON.readTree(post(http, "/v1/completions", base + ",\"stop\":[\"Lily\"]}"));
        assertThat(stopped.get("choices").get(0).get("text").asText()).isEqualTo(text.substring(0, text.indexOf("Lily")));
        assertThat(stopped.get("choices").get(0).get("finish_reason").asText()).isEqualTo("stop");

        JsonNode chat = JSON.readTree(post(http, "/v1/chat/completions", "{\"model\":\"stories\",\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":4,\"temperature\":0,\"logprobs\":true,"
                + "\"top_logprobs\":3}"));
        JsonNode content = chat.get("choices").get(0).get("logprobs").get("content");
        assertThat(content.size()).isEqualTo(chat.get("usage").get("completion_tokens").asInt());
        for (JsonNode t : content) {
            JsonNode top = t.get("top_logprobs");
            assertThat(top).hasSize(3);
            // Greedy: the chosen token is the most likely one, and the alternatives are sorted and are probabilities.
            assertThat(t.get("logprob").asDouble()).isEqualTo(top.get(0).get("logprob").asDouble());
            assertThat(top.get(0).get("logprob").asDouble()).isGreaterThanOrEqualTo(top.get(1).get("logprob").asDouble());
            double mass = 0;
            for (JsonNode a : top) {
                mass += Math.exp(a.get("logprob").asDouble());
            }
            assertThat(mass).isLessThanOrEqualTo(1.0 + 1e-9).isPositive();
        }
    }

    @Test
    void jsonModeHoldsARealExpertToOneObject() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String sampling : List.of("\"temperature\":0", "\"temperature\":1,\"seed\":3", "\"temperature\":1,\"seed\":4")) {
            JsonNode answer = JSON.readTree(post(http, "/v1/chat/completions", "{\"model\":\"stories\",\"messages\":"
                    + "[{\"role\":\"user\",\"content\":\"Tell me about Lily as JSON\"}],\"max_tokens\":300,"
                    + "\"response_format\":{\"type\":\"json_object\"}," + sampling + "}"));
            JsonNode choice = answer.get("choices").get(0);
            String content = choice.get("message").get("content").asText();
            assertThat(content.strip()).startsWith("{");
            assertThat(new JsonGrammar().accept(content.getBytes(StandardCharsets.UTF_8)))
                    .as("the answer is a start of one JSON object: %s", content).isTrue();
            if (choice.get("finish_reason").asText().equals("stop")) {
                assertThat(JSON.readTree(content).isObject()).as(content).isTrue();
            } else {
                // cut by max_tokens or by the model's context (stories260K: 512 positions)
                assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
            }
        }
        HttpResponse<String> schema = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"stories\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
                                + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"a\"}}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(schema.statusCode()).isEqualTo(400);
        assertThat(schema.body()).contains("json_schema").contains("json_object");
    }

    private String post(HttpClient http, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .header("Authorization", "Bearer " + KEY).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void aClientThatLeavesMidStreamStopsTheRealExpert() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String body = "{\"model\":\"stories\",\"prompt\":\"Once upon a time\",\"max_tokens\":400,"
                + "\"ignore_eos\":true,\"temperature\":0,\"stream\":true}";
        // The tiny model can write all 400 tokens before the server's next write finds the socket closed (a busy box
        // delays the writer, not the expert): such a run proves nothing either way, so it is tried again.
        for (int attempt = 0; attempt < 5; attempt++) {
            double tokensBefore = metric(http, "chorus_generated_tokens_total", "expert=\"stories\"");
            double cancelledBefore = metric(http, "chorus_generations_cancelled_total", "expert=\"stories\"");
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(app.baseUrl()).getPort())) {
                socket.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer " + KEY + "\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(
                        socket.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                for (int chunks = 0; chunks < 3; ) {
                    String line = in.readLine();
                    assertThat(line).isNotNull();
                    chunks += line.contains("data: {") ? 1 : 0;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            boolean cancelled = false;
            double generated = 0;
            while (!cancelled && generated < 400) {
                assertThat(System.nanoTime()).as("the expert neither stopped nor finished").isLessThan(deadline);
                Thread.sleep(20);
                cancelled = metric(http, "chorus_generations_cancelled_total", "expert=\"stories\"")
                        >= cancelledBefore + 1;
                generated = metric(http, "chorus_generated_tokens_total", "expert=\"stories\"") - tokensBefore;
            }
            if (cancelled) {
                assertThat(generated).as("tokens generated before stopping").isGreaterThanOrEqualTo(3).isLessThan(400);
                return;
            }
        }
        org.junit.jupiter.api.Assertions.fail("in 5 attempts the expert always finished its 400 tokens before the"
                + " server noticed that the client had left");
    }

    private double metric(HttpClient http, String name, String label) throws Exception {
        String text = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return PrometheusText.sum(PrometheusText.parse(text), name, label);
    }

    @Test
    void promptLongerThanTheLimitIs413() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(app.baseUrl() + "/v1/completions")).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"stories\",\"prompt\":\""
                        + "Once upon a time there was a cat. ".repeat(20) + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(r.body()).get("error").get("code").asText()).isEqualTo("context_length_exceeded");
    }
}
