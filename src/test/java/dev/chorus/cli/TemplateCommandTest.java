package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs {@code chorus template} on reference cases from ../shared/reference/chat_templates. */
class TemplateCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIR = "reference/chat_templates/";

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Cli.newCommandLine(new Main());
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int exit = cmd.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode referenceCase(String template, String id) throws IOException {
        for (JsonNode c : JSON.readTree(SharedData.require(DIR + template + ".cases.json").toFile())) {
            if (c.get("id").asText().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no case " + id);
    }

    /** Writes the case as a request-like body: {"messages": [...], "tools": [...]}. */
    private Path messagesFile(JsonNode c) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.set("messages", c.get("messages"));
        if (c.has("tools")) {
            body.set("tools", c.get("tools"));
        }
        Path f = tmp.resolve("messages.json");
        JSON.writeValue(f.toFile(), body);
        return f;
    }

    @Test
    void rendersATemplateFileWithToolsAndVariables() throws IOException {
        JsonNode c = referenceCase("llama3.1", "tool_call_final_answer/gen");
        List<String> args = new ArrayList<>(List.of("template",
                "--template", SharedData.require(DIR + "llama3.1.jinja").toString(),
                "--messages", messagesFile(c).toString(), "--add-generation-prompt",
                "--bos", c.get("bos_token").asText(), "--eos", c.get("eos_token").asText(),
                "--var", "date_string=" + c.get("extra").get("date_string").asText()));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(c.get("expected").asText());
    }

    @Test
    void varValuesAreParsedAsJson() throws IOException {
        JsonNode c = referenceCase("qwen3", "enable_thinking_false/gen");
        Run r = run("template", "--template", SharedData.require(DIR + "qwen3.jinja").toString(),
                "--messages", messagesFile(c).toString(), "--add-generation-prompt",
                "--eos", c.get("eos_token").asText(), "--var", "enable_thinking=false");
        assertThat(r.out()).isEqualTo(c.get("expected").asText());
    }

    @Test
    void modelTemplateAndSpecialTokensComeFromTheGguf() throws IOException {
        // ggml-vocab-qwen2.gguf carries the qwen2-chatml template; BOS/EOS default to its token texts.
        Path model = SharedData.require("vocab/ggml-vocab-qwen2.gguf");
        for (String id : List.of("multi_turn/gen", "unicode_multi_turn/nogen")) {
            JsonNode c = referenceCase("qwen2-chatml", id);
            List<String> args = new ArrayList<>(List.of("template", "-m", model.toString(),
                    "--messages", messagesFile(c).toString()));
            if (c.get("add_generation_prompt").asBoolean()) {
                args.add("--add-generation-prompt");
            }
            Run r = run(args.toArray(String[]::new));
            assertThat(r.err()).isEmpty();
            assertThat(r.exit()).isZero();
            assertThat(r.out()).isEqualTo(c.get("expected").asText());
        }
    }

    @Test
    void templateRejectionIsAUserErrorWithTheTemplatesMessage() throws IOException {
        JsonNode c = referenceCase("gemma3", "invalid_consecutive_user/gen");
        Run r = run("template", "--template", SharedData.require(DIR + "gemma3.jinja").toString(),
                "--messages", messagesFile(c).toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(c.get("expected").get("error").asText());
    }

    @Test
    void badInputGivesClearErrors() throws IOException {
        Path tpl = tmp.resolve("t.jinja");
        Files.writeString(tpl, "{{ messages[0].content }}");
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"messages\": [{\"content\": \"no role\"}]}");
        assertThat(run("template", "--template", tpl.toString(), "--messages", bad.toString()).err())
                .contains("needs a string \"role\"");
        assertThat(run("template", "--template", tmp.resolve("missing.jinja").toString(), "--messages",
                bad.toString()).err()).contains("file not found");
        Run both = run("template", "--template", tpl.toString(), "-m", "x.gguf", "--messages", bad.toString());
        assertThat(both.exit()).isNotZero();
        Path ok = tmp.resolve("ok.json");
        Files.writeString(ok, "[{\"role\": \"user\", \"content\": \"hé\"}]");
        assertThat(run("template", "--template", tpl.toString(), "--messages", ok.toString()).out()).isEqualTo("hé");
        assertThat(run("template", "--template", tpl.toString(), "--messages", ok.toString(), "--var", "novalue")
                .err()).contains("KEY=VALUE");
    }
}
