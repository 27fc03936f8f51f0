package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's CLI commands end to end on stories260K. */
class EngineCommandsTest {
    static String run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            assertThat(code).as("exit code of %s", String.join(" ", args)).isZero();
        } finally {
            System.setOut(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generateJsonGivesLlamaCppsGreedyIds() throws Exception {
        String model = SharedData.require("models/stories260K.gguf").toString();
        JsonNode ref = new ObjectMapper().readTree(SharedData.require("reference/stories260K.logits.json").toFile());
        String out = run("generate", "-m", model, "-p", "Once upon a time, there was", "-n", "32", "--temp", "0",
                "-t", "2", "--json");
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("prompt_ids").toString()).isEqualTo(ref.get("greedy").get("prefix_ids").toString());
        assertThat(json.get("ids").toString()).isEqualTo(ref.get("greedy").get("ids").toString());
        assertThat(json.get("text").asText()).startsWith(" a little girl named Lily.");
    }

    @Test
    void seededSamplingIsReproducible() {
        String model = SharedData.require("models/stories260K.gguf").toString();
        String a = run("generate", "-m", model, "-p", "Once upon a time", "-n", "24", "--temp", "1.0", "--seed", "7", "--json");
        String b = run("generate", "-m", model, "-p", "Once upon a time", "-n", "24", "--temp", "1.0", "--seed", "7", "--json");
        assertThat(a).isEqualTo(b);
    }

    @Test
    void perplexityJsonMatchesLlamaCppF32Run() throws Exception {
        String model = SharedData.require("models/stories260K.gguf").toString();
        String text = SharedData.require("reference/ppl-text.txt").toString();
        JsonNode json = new ObjectMapper().readTree(run("perplexity", "-m", model, "-f", text, "--ctx", "64", "--json"));
        assertThat(json.get("ppl").asDouble()).isCloseTo(3.8090, org.assertj.core.data.Offset.offset(0.0005));
        assertThat(json.get("tokens").asInt()).isEqualTo(546);
        assertThat(json.get("chunks")).hasSize(8);
    }

    @Test
    void perplexityWithF16KvMatchesLlamaPerplexitysDefaultRun() throws Exception {
        String model = SharedData.require("models/stories260K.gguf").toString();
        String text = SharedData.require("reference/ppl-text.txt").toString();
        JsonNode json = new ObjectMapper().readTree(run("perplexity", "-m", model, "-f", text, "--ctx", "64",
                "--kv-type", "f16", "--json"));
        assertThat(json.get("ppl").asDouble() / 3.8083 - 1).isBetween(-0.005, 0.005);
    }

    @Test
    void badInputsAreOneLineErrors() {
        String model = SharedData.require("models/stories260K.gguf").toString();
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute("generate", "-m", model, "-p", "Once upon a time", "-n", "500", "-c", "16", "--temp", "0"))
                    .isZero();
            assertThat(Main.execute("generate", "-m", model, "-p", "Once upon a time there was a girl who liked to play with her dog", "-c", "8"))
                    .isEqualTo(2);
            assertThat(Main.execute("generate", "-m", "/nonexistent.gguf", "-p", "x")).isEqualTo(2);
        } finally {
            System.setErr(old);
        }
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("context length").contains("nonexistent");
    }
}
