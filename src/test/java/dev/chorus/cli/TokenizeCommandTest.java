package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizeCommandTest {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final StringWriter stderr = new StringWriter();

    private int run(Object command, String... args) {
        if (command instanceof TokenizeCommand t) {
            t.out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        } else if (command instanceof BenchTokenizeCommand b) {
            b.out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
        }
        var cmd = Cli.newCommandLine(command);
        cmd.setErr(new PrintWriter(stderr));
        return cmd.execute(args);
    }

    private String out() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsIdsAsJsonWithBosUnlessDisabled() {
        String model = SharedData.require("vocab/ggml-vocab-llama-bpe.gguf").toString();
        assertThat(run(new TokenizeCommand(), "-m", model, "--text", "Hello world", "--json")).isZero();
        assertThat(out().strip()).isEqualTo("{\"ids\":[128000,9906,1917]}");
        stdout.reset();
        assertThat(run(new TokenizeCommand(), "-m", model, "--text", "Hello world", "--json", "--no-bos")).isZero();
        assertThat(out().strip()).isEqualTo("{\"ids\":[9906,1917]}");
    }

    @Test
    void parsesSpecialTokensOnlyWithTheFlag() {
        String model = SharedData.require("vocab/ggml-vocab-llama-bpe.gguf").toString();
        assertThat(run(new TokenizeCommand(), "-m", model, "--text", "<|eot_id|>", "--json", "--special")).isZero();
        assertThat(out().strip()).isEqualTo("{\"ids\":[128000,128009]}");
    }

    @Test
    void printsPiecesForTextFromAFile(@TempDir Path dir) throws Exception {
        String model = SharedData.require("models/stories260K.gguf").toString();
        Path text = dir.resolve("t.txt");
        Files.writeString(text, "Once upon a time\n");
        assertThat(run(new TokenizeCommand(), "-m", model, "--file", text.toString())).isZero();
        assertThat(out()).contains("      1 -> '<s>'").contains("'\\n'").contains(" tokens");
    }

    @Test
    void missingFileIsAUserError() {
        assertThat(run(new TokenizeCommand(), "-m", "/nonexistent.gguf", "--text", "x")).isEqualTo(2);
        assertThat(stderr.toString()).contains("model file not found");
    }

    @Test
    void textAndFileAreExclusive() {
        assertThat(run(new TokenizeCommand(), "-m", "x.gguf", "--text", "a", "--file", "b")).isNotZero();
    }

    @Test
    void benchReportsThroughputAndBaselines() throws Exception {
        String model = SharedData.require("models/stories260K.gguf").toString();
        assertThat(run(new BenchTokenizeCommand(), "-m", model, "--bytes", "20000", "--iterations", "1", "--json"))
                .isZero();
        JsonNode r = new ObjectMapper().readTree(out());
        assertThat(r.get("tokens").asInt()).isPositive();
        assertThat(r.has("tokenize_mb_per_cpu_s")).isTrue();
        assertThat(r.has("baseline_regex_split_mb_per_cpu_s")).isTrue();
    }
}
