package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.chorus.chat.ToolCallSyntax;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.ServerSettings;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Markup in an expert's answer reaches clients as OpenAI fields: tool calls in its family's syntax as
 * {@code tool_calls}, a thinking model's {@code <think>} block as {@code reasoning_content}, whole and streamed, read
 * back by the official OpenAI Java SDK and LangChain4j; without tools (or with tool_choice none) tool-call markup stays
 * content.
 */
class AnswerMarkupHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HERMES_ANSWER = List.of("Checking", " the weather.", "\n<tool", "_call>\n",
            "{\"name\": \"get_weather\", ", "\"arguments\": {\"city\": \"Paris\"}}", "\n</tool_call>");
    private static final String TOOLS = "[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}]";

    private final FakeExpert expert = new FakeExpert("qwen");
    private ChorusServer server;

    @BeforeEach
    void start() {
        expert.script = HERMES_ANSWER;
        expert.toolCallSyntax = ToolCallSyntax.HERMES;
        server = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of()), Limits.defaults(),
                new ServerMetrics()).start();
        server.ready(FakeServices.of(1, 4, 1000, expert));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private JsonNode post(String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void wholeAnswerCarriesToolCallsAndTheTextBeforeThem() throws Exception {
        JsonNode body = post("{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                + "\"tools\":" + TOOLS + "}");
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.get("message").get("content").asText()).isEqualTo("Checking the weather.");
        JsonNode call = choice.get("message").get("tool_calls").get(0);
        assertThat(call.get("id").asText()).startsWith("call_");
        assertThat(call.get("type").asText()).isEqualTo("function");
        assertThat(call.get("function").get("name").asText()).isEqualTo("get_weather");
        assertThat(JSON.readTree(call.get("function").get("arguments").asText()))
                .isEqualTo(JSON.readTree("{\"city\":\"Paris\"}"));
    }

    @Test
    void withoutToolsOrWithToolChoiceNoneTheMarkupStaysText() throws Exception {
        String whole = String.join("", HERMES_ANSWER);
        for (String extra : List.of("", ",\"tools\":" + TOOLS + ",\"tool_choice\":\"none\"")) {
            JsonNode choice = post("{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra
                    + "}").get("choices").get(0);
            assertThat(choice.get("message").get("content").asText()).isEqualTo(whole);
            assertThat(choice.has("tool_calls")).isFalse();
            assertThat(choice.get("finish_reason").asText()).isEqualTo("stop");
        }
    }

    @Test
    void openAiSdkReadsToolCallsWholeAndStreamed() {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused").build();
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("qwen")
                .addUserMessage("What is the weather in Paris?")
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder().name("get_weather")
                        .parameters(FunctionParameters.builder().putAdditionalProperty("type", JsonValue.from("object"))
                                .putAdditionalProperty("properties", JsonValue.from(Map.of("city",
                                        Map.of("type", "string")))).build()).build()).build())
                .build();
        ChatCompletion whole = client.chat().completions().create(params);
        assertToolCall(whole);

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        List<String> textDeltas = new ArrayList<>();
        try (var stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                accumulator.accumulate(chunk);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(textDeltas::add));
            });
        }
        ChatCompletion streamed = accumulator.chatCompletion();
        assertToolCall(streamed);
        // The text before the markup streamed as it came; none of the markup leaked into the content.
        assertThat(String.join("", textDeltas)).isEqualTo("Checking the weather.\n");
    }

    private static void assertToolCall(ChatCompletion completion) {
        ChatCompletion.Choice choice = completion.choices().getFirst();
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        List<ChatCompletionMessageToolCall> calls = choice.message().toolCalls().orElseThrow();
        assertThat(calls).hasSize(1);
        var function = calls.getFirst().asFunction().function();
        assertThat(function.name()).isEqualTo("get_weather");
        assertThat(function.arguments()).contains("\"city\"").contains("\"Paris\"");
    }

    @Test
    void langChain4jGetsAToolExecutionRequest() {
        OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused")
                .modelName("qwen").build();
        ChatResponse response = model.chat(ChatRequest.builder()
                .messages(UserMessage.from("What is the weather in Paris?"))
                .toolSpecifications(ToolSpecification.builder().name("get_weather")
                        .parameters(JsonObjectSchema.builder().addStringProperty("city").build()).build())
                .build());
        assertThat(response.aiMessage().hasToolExecutionRequests()).isTrue();
        ToolExecutionRequest request = response.aiMessage().toolExecutionRequests().getFirst();
        assertThat(request.name()).isEqualTo("get_weather");
        assertThat(request.arguments()).contains("Paris");
    }

    @Test
    void thinkingModelsAnswerWithReasoningContentApartWholeAndStreamed() throws Exception {
        expert.templateSource = "{{ '<think>' }}...{{ '</think>' }}";
        expert.promptSuffix = "<think>\n";   // as DeepSeek-R1's generation prompt: the answer starts inside the block
        expert.script = List.of("Paris is", " in France.", "\n</th", "ink>\n\n", "Let me", " look it up.",
                "\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>");
        JsonNode message = post("{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"content\":\"weather?\"}],"
                + "\"tools\":" + TOOLS + "}").get("choices").get(0).get("message");
        assertThat(message.get("reasoning_content").asText()).isEqualTo("Paris is in France.");
        assertThat(message.get("content").asText()).isEqualTo("Let me look it up.");
        assertThat(message.get("tool_calls").get(0).get("function").get("name").asText()).isEqualTo("get_weather");

        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"qwen\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        StreamedAnswer streamed = StreamedAnswer.of(r.body());
        assertThat(streamed.reasoning().strip()).isEqualTo("Paris is in France.");
        // No tools offered: the tool-call markup is plain content.
        assertThat(streamed.content()).startsWith("Let me look it up.\n<tool_call>");

        // LangChain4j reads the reasoning as the message's thinking.
        var model = OpenAiChatModel.builder().baseUrl(server.baseUrl() + "/v1").apiKey("unused").modelName("qwen")
                .returnThinking(true).build();
        var answer = model.chat(ChatRequest.builder().messages(UserMessage.from("hi")).build()).aiMessage();
        assertThat(answer.thinking()).isEqualTo("Paris is in France.");
        assertThat(answer.text()).startsWith("Let me look it up.");
    }
}
