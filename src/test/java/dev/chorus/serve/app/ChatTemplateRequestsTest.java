package dev.chorus.serve.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufWriter;
import dev.chorus.gguf.TensorInfo;
import dev.chorus.serve.config.ConfigLoader;
import dev.chorus.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Chat requests reach a REAL expert's chat template whole: tool definitions, tool-calling turns and tool results
 * (checked against the reference rendering of Qwen 2.5's template in ../shared/reference/chat_templates), and a
 * template that rejects the conversation (Gemma 3's alternation rule) answers 400 with the template's message.
 * The experts are stories260K with the reference templates written into their metadata.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChatTemplateRequestsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private ChorusApp app;
    private Tokenizer tokenizer;

    @BeforeAll
    void start() throws Exception {
        Path stories = SharedData.require("models/stories260K.gguf");
        Path templates = SharedData.require("reference/chat_templates");
        Path dir = Files.createTempDirectory("chorus-templates");
        Path qwen = withTemplate(stories, Files.readString(templates.resolve("qwen2.5.jinja")), dir.resolve("q.gguf"));
        Path gemma = withTemplate(stories, Files.readString(templates.resolve("gemma3.jinja")), dir.resolve("g.gguf"));
        Path qwen3 = withTemplate(stories, Files.readString(templates.resolve("qwen3.jinja")), dir.resolve("q3.gguf"));
        try (GgufFile f = GgufFile.open(stories)) {
            tokenizer = Tokenizer.fromGguf(f.metadata());
        }
        Path yaml = dir.resolve("chorus.yaml");
        Files.writeString(yaml, """
                server: {port: 0, threads: 1, parallel: 1}
                experts:
                  - {id: qwen, path: %s}
                  - {id: gemma, path: %s}
                  - {id: qwen3, path: %s}
                categories:
                  - {name: general, expert: qwen}
                fallback: qwen
                memory: {hot_memory: 8m, warm_memory: 16m}
                """.formatted(qwen, gemma, qwen3));
        app = ChorusApp.start(ConfigLoader.load(yaml), new PrintStream(OutputStream.nullOutputStream()));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    static Path withTemplate(Path model, String template, Path out) throws Exception {
        try (GgufFile f = GgufFile.open(model)) {
            GgufWriter w = new GgufWriter().putAll(f.metadata());
            w.remove("tokenizer.chat_template");
            w.putString("tokenizer.chat_template", template);
            // Room for a tool-calling conversation (stories260K was trained on 128 positions; RoPE runs past them).
            w.remove("llama.context_length");
            w.putUInt32("llama.context_length", 2048);
            for (TensorInfo t : f.tensors()) {
                w.addTensor(t.name(), t.type(), t.dims(), f.tensorData(t));
            }
            w.write(out);
        }
        return out;
    }

    @Test
    void toolsAndToolCallingTurnsReachTheTemplateAsTransformersRendersThem() throws Exception {
        JsonNode ref = referenceCase("qwen2.5", "tool_call_final_answer/gen");
        // The same conversation as an OpenAI client sends it: null content beside tool_calls, arguments as a JSON
        // string, a tool_call_id on the result, and the final answer as text parts.
        String body = """
                {"model": "qwen", "max_tokens": 1, "temperature": 0, "tools": %s,
                 "messages": [
                   {"role": "user", "content": "What is the weather in Paris?"},
                   {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                     "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Paris\\", \\"unit\\": \\"celsius\\"}"}}]},
                   {"role": "tool", "tool_call_id": "call_1", "content": "{\\"temperature\\": 22, \\"condition\\": \\"sunny\\"}"},
                   {"role": "assistant", "content": [{"type": "text", "text": "It is 22 \u00b0C "},
                                                     {"type": "text", "text": "and sunny in Paris."}]}]}
                """.formatted(ref.get("tools"));
        HttpResponse<String> r = post(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String expected = ref.get("expected").asText();
        assertThat(expected).contains("<tool_call>", "get_weather", "<tool_response>");
        assertThat(JSON.readTree(r.body()).at("/usage/prompt_tokens").asInt()).isEqualTo(promptTokens(expected));

        // Without the tools the template writes no tool section: the prompt is shorter.
        ObjectNode noTools = (ObjectNode) JSON.readTree(body);
        noTools.remove("tools");
        HttpResponse<String> plain = post(noTools.toString());
        assertThat(JSON.readTree(plain.body()).at("/usage/prompt_tokens").asInt())
                .isLessThan(promptTokens(expected));
    }

    @Test
    void aTemplateThatRejectsTheConversationIsA400WithItsMessage() throws Exception {
        JsonNode ref = referenceCase("gemma3", "invalid_consecutive_user/gen");
        ObjectNode body = JSON.createObjectNode().put("model", "gemma").put("max_tokens", 1);
        body.set("messages", ref.get("messages"));
        HttpResponse<String> r = post(body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo("messages");
        assertThat(error.get("message").asText()).contains(ref.at("/expected/error").asText()).contains("gemma");

        ArrayNode ok = JSON.createArrayNode();
        ok.addObject().put("role", "user").put("content", "Hi.");
        body.set("messages", ok);
        assertThat(post(body.toString()).statusCode()).isEqualTo(200);
    }

    @Test
    void chatTemplateKwargsBecomeTemplateVariables() throws Exception {
        JsonNode ref = referenceCase("qwen3", "enable_thinking_false/gen");
        ObjectNode body = JSON.createObjectNode().put("model", "qwen3").put("max_tokens", 1);
        body.set("messages", ref.get("messages"));
        body.set("chat_template_kwargs", ref.get("extra"));
        String expected = ref.get("expected").asText();
        assertThat(expected).endsWith("<think>\n\n</think>\n\n");
        HttpResponse<String> r = post(body.toString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).at("/usage/prompt_tokens").asInt()).isEqualTo(promptTokens(expected));

        body.remove("chat_template_kwargs");
        assertThat(JSON.readTree(post(body.toString()).body()).at("/usage/prompt_tokens").asInt())
                .isLessThan(promptTokens(expected));

        body.set("chat_template_kwargs", JSON.createObjectNode().put("messages", "x"));
        HttpResponse<String> reserved = post(body.toString());
        assertThat(reserved.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(reserved.body()).at("/error/param").asText())
                .isEqualTo("chat_template_kwargs.messages");
    }

    @Test
    void imagePartsAreRefusedNamingThePart() throws Exception {
        HttpResponse<String> r = post("""
                {"model": "qwen", "messages": [{"role": "user", "content": [{"type": "text", "text": "What is it?"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}}]}]}
                """);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(r.body()).get("error");
        assertThat(error.get("param").asText()).isEqualTo("messages[0].content[1]");
        assertThat(error.get("message").asText()).contains("image_url");
    }

    private int promptTokens(String rendered) {
        int[] ids = tokenizer.encode(rendered, false, true);
        boolean bos = tokenizer.addBos() && tokenizer.bos() >= 0 && (ids.length == 0 || ids[0] != tokenizer.bos());
        return ids.length + (bos ? 1 : 0);
    }

    private static JsonNode referenceCase(String template, String id) throws Exception {
        JsonNode cases = JSON.readTree(SharedData.require("reference/chat_templates/" + template + ".cases.json")
                .toFile());
        for (JsonNode c : cases) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no reference case " + id);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
