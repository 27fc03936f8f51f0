package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.chat.ToolCallSyntax;
import dev.chorus.serve.ChatMessage;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FifoScheduler;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.remote.RemoteExpert;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** A Chorus whose expert is another Chorus on loopback (the scale-out path), with a fake expert at the far end. */
class RemoteExpertTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeExpert far = new FakeExpert("far");
    private ChorusServer back;
    private ChorusServer front;

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
        if (back != null) {
            back.close();
        }
    }

    private void start(String remoteUrl) {
        if (back == null) {
            back = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of("backkey")), Limits.defaults(),
                    new ServerMetrics()).start();
            back.ready(FakeServices.of(1, 4, 1000, far));
        }
        RemoteExpert remote = new RemoteExpert("near", "remote", remoteUrl == null ? back.baseUrl() + "/v1"
                : remoteUrl, "far", "backkey", Duration.ofSeconds(2), Duration.ofSeconds(10));
        Map<String, ExpertBackend> experts = Map.of("near", remote);
        front = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of()), Limits.defaults(),
                new ServerMetrics()).start();
        front.ready(new ChorusServices(experts, (m, c) -> new RoutingDecision("any", 1.0, "near", false, false, 0),
                null, new FakeServices.Tiers(experts.keySet()), new FifoScheduler(2, 4), 1000, List.of()));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(front.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsChatAndTextCompletionsWithSamplingFields() throws Exception {
        start(null);
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"model":"chorus","messages":[{"role":"user","content":"hello there"}],"max_tokens":4,
                 "temperature":0.3,"seed":5,"stop":["zz"]}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("choices").get(0).get("message").get("content").asText()).isEqualTo("w0 w1 w2 w3");
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(r.headers().firstValue("X-Chorus-Tier")).hasValue("remote");
        assertThat(far.lastRequest.sampling().temperature()).isEqualTo(0.3);
        assertThat(far.lastRequest.sampling().seed()).isEqualTo(5L);
        assertThat(far.lastRequest.stop()).containsExactly("zz");
        assertThat(far.lastPrompt.text()).isEqualTo("<user>hello there");

        HttpResponse<String> text = post("/v1/completions", "{\"model\":\"near\",\"prompt\":\"abc\",\"max_tokens\":2}");
        assertThat(JSON.readTree(text.body()).get("choices").get(0).get("text").asText()).isEqualTo("w0 w1");
        assertThat(far.lastPrompt.text()).isEqualTo("abc");
    }

    @Test
    void unreachableRemoteIsAClearServerError() throws Exception {
        start("http://127.0.0.1:1/v1");
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"near\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).contains("unreachable");
    }
    private static final String TOOL_CONVERSATION = """
            {"model":"chorus","max_tokens":40,%s
             "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
                       "properties":{"city":{"type":"string"}}}}}],
             "tool_choice":"auto",
             "messages":[{"role":"user","content":"Weather in Oslo, then Paris?"},
               {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                 "function":{"name":"get_weather","arguments":"{\\"city\\": \\"Oslo\\"}"}}]},
               {"role":"tool","tool_call_id":"call_1","content":"-3 C"}]}""";

    @Test
    void toolCallsOfAChorusBehindChorusReachTheClientWholeAndStreamed() throws Exception {
        far.toolCallSyntax = ToolCallSyntax.HERMES;
        far.script = List.of("Checking Paris.", " <tool_call>\n{\"name\": \"get_weather\", ",
                "\"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
        start(null);

        HttpResponse<String> r = post("/v1/chat/completions", TOOL_CONVERSATION.formatted(""));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode choice = JSON.readTree(r.body()).get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("Checking Paris.");
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.get("function").get("arguments").asText()))
                .isEqualTo(JSON.readTree("{\"city\": \"Paris\"}"));

        // What the far expert was given: the whole tool conversation and the tool definitions.
        PromptInput.Chat seen = (PromptInput.Chat) far.lastRequest.input();
        ChatMessage assistant = seen.messages().get(1);
        assertThat(assistant.templateFields().get("content")).isNull();
        assertThat(JSON.valueToTree(assistant.templateFields().get("tool_calls")).get(0).get("id").asText())
                .isEqualTo("call_1");
        assertThat(seen.messages().get(2).templateFields()).containsEntry("tool_call_id", "call_1");
        assertThat(JSON.valueToTree(seen.templateVariables().get("tools")).get(0).get("function").get("name")
                .asText()).isEqualTo("get_weather");
        assertThat(seen.templateVariables()).containsEntry("tool_choice", "auto");

        HttpResponse<String> streamed = post("/v1/chat/completions", TOOL_CONVERSATION.formatted("\"stream\":true,"));
        StreamedAnswer answer = StreamedAnswer.of(streamed.body());
        assertThat(answer.content().strip()).isEqualTo("Checking Paris.");
        assertThat(answer.toolName()).isEqualTo("get_weather");
        assertThat(JSON.readTree(answer.toolArguments())).isEqualTo(JSON.readTree("{\"city\": \"Paris\"}"));
        assertThat(answer.finishReason()).isEqualTo("tool_calls");
    }

    @Test
    void aVllmStyleRemoteGetsTheToolFieldsAndItsFragmentedToolCallsAreJoined() throws Exception {
        AtomicReference<JsonNode> forwarded = new AtomicReference<>();
        String[] chunks = {
                "{\"index\":0,\"id\":\"chatcmpl-tool-1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}",
                "{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\": \"}}",
                "{\"index\":0,\"function\":{\"arguments\":\"\\\"Paris\\\"}\"}}",
                "{\"index\":1,\"id\":\"chatcmpl-tool-2\",\"type\":\"function\",\"function\":{\"name\":\"get_time\",\"arguments\":\"{}\"}}"};
        Javalin vllm = Javalin.create(c -> c.showJavalinBanner = false).post("/v1/chat/completions", ctx -> {
            forwarded.set(JSON.readTree(ctx.body()));
            StringBuilder sse = new StringBuilder();
            for (String chunk : chunks) {
                sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[").append(chunk)
                        .append("]},\"finish_reason\":null}]}\n\n");
            }
            sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n")
                    .append("data: [DONE]\n\n");
            ctx.contentType("text/event-stream").result(sse.toString());
        }).start("127.0.0.1", 0);
        try {
            start("http://127.0.0.1:" + vllm.port() + "/v1");
            HttpResponse<String> r = post("/v1/chat/completions", TOOL_CONVERSATION.formatted(
                    "\"chat_template_kwargs\":{\"enable_thinking\":false},"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode message = JSON.readTree(r.body()).get("choices").get(0).get("message");
            assertThat(message.get("tool_calls")).hasSize(2);
            assertThat(message.get("tool_calls").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
            assertThat(JSON.readTree(message.get("tool_calls").get(0).get("function").get("arguments").asText()))
                    .isEqualTo(JSON.readTree("{\"city\": \"Paris\"}"));
            assertThat(message.get("tool_calls").get(1).get("function").get("name").asText()).isEqualTo("get_time");

            JsonNode body = forwarded.get();
            assertThat(body.get("tools").get(0).get("function").get("name").asText()).isEqualTo("get_weather");
            assertThat(body.get("tool_choice").asText()).isEqualTo("auto");
            assertThat(body.get("chat_template_kwargs").get("enable_thinking").asBoolean()).isFalse();
            JsonNode assistant = body.get("messages").get(1);
            assertThat(assistant.get("content").isNull()).isTrue();
            assertThat(JSON.readTree(assistant.get("tool_calls").get(0).get("function").get("arguments").asText()))
                    .as("arguments travel as JSON text").isEqualTo(JSON.readTree("{\"city\": \"Oslo\"}"));
            assertThat(body.get("messages").get(2).get("tool_call_id").asText()).isEqualTo("call_1");
            assertThat(body.get("messages").get(2).get("content").asText()).isEqualTo("-3 C");
        } finally {
            vllm.stop();
        }
    }
    @Test
    void aRemotesReasoningComesBackApartFromItsAnswerWholeAndStreamed() throws Exception {
        Javalin vllm = Javalin.create(c -> c.showJavalinBanner = false).post("/v1/chat/completions", ctx -> {
            StringBuilder sse = new StringBuilder();
            for (String delta : List.of("{\"role\":\"assistant\",\"content\":\"\"}", "{\"reasoning_content\":\"Paris is \"}",
                    "{\"reasoning_content\":\"in France.\"}", "{\"content\":\"It is in \"}", "{\"content\":\"France.\"}")) {
                sse.append("data: {\"choices\":[{\"index\":0,\"delta\":").append(delta).append("}]}\n\n");
            }
            sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
            ctx.contentType("text/event-stream").result(sse.toString());
        }).start("127.0.0.1", 0);
        try {
            start("http://127.0.0.1:" + vllm.port() + "/v1");
            String ask = "{\"model\":\"chorus\",%s\"messages\":[{\"role\":\"user\",\"content\":\"Where is Paris?\"}]}";
            HttpResponse<String> r = post("/v1/chat/completions", ask.formatted(""));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode message = JSON.readTree(r.body()).get("choices").get(0).get("message");
            assertThat(message.get("reasoning_content").asText()).isEqualTo("Paris is in France.");
            assertThat(message.get("content").asText()).isEqualTo("It is in France.");

            HttpResponse<String> streamed = post("/v1/chat/completions", ask.formatted("\"stream\":true,"));
            StreamedAnswer answer = StreamedAnswer.of(streamed.body());
            assertThat(answer.reasoning()).isEqualTo("Paris is in France.");
            assertThat(answer.content()).isEqualTo("It is in France.");
        } finally {
            vllm.stop();
        }
    }
}
