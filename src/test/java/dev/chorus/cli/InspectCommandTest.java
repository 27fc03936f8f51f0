package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import dev.chorus.gguf.GgmlType;
import dev.chorus.gguf.GgufValueType;
import dev.chorus.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Run(int exitCode, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static JsonNode inspectJson(Path file) throws Exception {
        Run r = run("inspect", file.toString(), "--json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().strip().lines()).hasSize(1);
        return JSON.readTree(r.out());
    }

    /** Every row of the table in ../shared/models/README.md: architecture, byte size and tensor count per type. */
    @Test
    void everySharedModelMatchesTheTypesTableOfItsReadme() throws Exception {
        Path models = SharedData.require("models/README.md").getParent();
        Pattern row = Pattern.compile("^\\| (\\S+\\.gguf) \\| (\\w+) \\| (\\d+) \\| `[0-9a-f]+` \\| ([^|]+) \\|$");
        int checked = 0;
        for (String line : Files.readAllLines(models.resolve("README.md"))) {
            Matcher m = row.matcher(line);
            if (!m.matches()) {
                continue;
            }
            JsonNode s = inspectJson(models.resolve(m.group(1)));
            assertThat(s.get("architecture").asText()).as(line).isEqualTo(m.group(2));
            assertThat(s.get("file_size").asLong()).as(line).isEqualTo(Long.parseLong(m.group(3)));
            Map<String, Integer> expected = new HashMap<>();
            int total = 0;
            for (String part : m.group(4).trim().split(",\\s*")) {
                String[] typeAndCount = part.trim().split("\\s+");
                expected.put(typeAndCount[0], Integer.parseInt(typeAndCount[1]));
                total += Integer.parseInt(typeAndCount[1]);
            }
            Map<String, Integer> actual = new HashMap<>();
            s.get("tensor_types").properties().forEach(e -> actual.put(e.getKey(), e.getValue().get("count").asInt()));
            assertThat(actual).as(line).isEqualTo(expected);
            assertThat(s.get("tensor_count").asInt()).as(line).isEqualTo(total);
            checked++;
        }
        assertThat(checked).isEqualTo(21);
    }

    /** The shapes table of the same README. */
    @Test
    void shapesMatchTheReadme() throws Exception {
        JsonNode stories = inspectJson(SharedData.require("models/stories260K.gguf"));
        assertThat(stories.get("block_count").asInt()).isEqualTo(5);
        assertThat(stories.get("embedding_length").asInt()).isEqualTo(64);
        assertThat(stories.get("head_count").asInt()).isEqualTo(8);
        assertThat(stories.get("head_count_kv").asInt()).isEqualTo(4);
        assertThat(stories.get("context_length").asInt()).isEqualTo(128);
        assertThat(stories.get("vocab_size").asInt()).isEqualTo(512);
        assertThat(stories.get("tokenizer_model").asText()).isEqualTo("llama");
        assertThat(stories.get("chat_template").asBoolean()).isFalse();

        JsonNode gemma = inspectJson(SharedData.require("models/synth-gemma2-softcap.F32.gguf"));
        assertThat(gemma.get("block_count").asInt()).isEqualTo(26);
        assertThat(gemma.get("embedding_length").asInt()).isEqualTo(128);
        assertThat(gemma.get("head_count").asInt()).isEqualTo(4);
        assertThat(gemma.get("head_count_kv").asInt()).isEqualTo(2);
    }

    @Test
    void llama3VocabReportsItsTokenizer() throws Exception {
        JsonNode s = inspectJson(SharedData.require("vocab/ggml-vocab-llama-bpe.gguf"));
        assertThat(s.get("tokenizer_model").asText()).isEqualTo("gpt2");
        assertThat(s.get("tokenizer_pre").asText()).isEqualTo("llama-bpe");
        assertThat(s.get("vocab_size").asInt()).isEqualTo(128256);
        assertThat(s.get("tensor_count").asInt()).isZero();
    }

    private Path writerMadeFile() throws Exception {
        Path file = dir.resolve("made.gguf");
        String[] tokens = new String[10];
        Arrays.setAll(tokens, i -> "t" + i);
        new GgufWriter()
                .putString("general.architecture", "testarch")
                .putString("general.name", "Made Here")
                .putUInt32("general.file_type", 15)
                .putUInt32("testarch.context_length", 4096)
                .putUInt32("testarch.embedding_length", 256)
                .putUInt32("testarch.block_count", 3)
                .putArray("testarch.attention.head_count", GgufValueType.INT32, new int[] {8, 8, 4})
                .putUInt32("testarch.attention.head_count_kv", 2)
                .putString("tokenizer.ggml.model", "gpt2")
                .putString("tokenizer.ggml.pre", "qwen2")
                .putArray("tokenizer.ggml.tokens", GgufValueType.STRING, tokens)
                .putString("tokenizer.chat_template", "{{ messages }}")
                .setAlignment(64)
                .addTensor("a", GgmlType.Q4_K, new long[] {256, 2}, new byte[2 * 144])
                .addTensor("b", GgmlType.Q4_K, new long[] {256}, new byte[144])
                .addTensor("c", GgmlType.IQ2_XXS, new long[] {256}, new byte[66])
                .addTensor("d", GgmlType.F32, new long[] {3, 5}, new byte[60])
                .write(file);
        return file;
    }

    @Test
    void jsonOfAFileMadeByTheWriter() throws Exception {
        JsonNode s = inspectJson(writerMadeFile());
        assertThat(s.get("architecture").asText()).isEqualTo("testarch");
        assertThat(s.get("name").asText()).isEqualTo("Made Here");
        assertThat(s.get("file_type").asText()).isEqualTo("Q4_K - Medium");
        assertThat(s.get("gguf_version").asInt()).isEqualTo(3);
        assertThat(s.get("alignment").asInt()).isEqualTo(64);
        assertThat(s.get("parameters").asLong()).isEqualTo(512 + 256 + 256 + 15);
        assertThat(s.get("context_length").asInt()).isEqualTo(4096);
        assertThat(s.get("embedding_length").asInt()).isEqualTo(256);
        assertThat(s.get("block_count").asInt()).isEqualTo(3);
        assertThat(s.get("head_count").toString()).isEqualTo("[8,8,4]");
        assertThat(s.get("head_count_kv").asInt()).isEqualTo(2);
        assertThat(s.get("vocab_size").asInt()).isEqualTo(10);
        assertThat(s.get("tokenizer_model").asText()).isEqualTo("gpt2");
        assertThat(s.get("tokenizer_pre").asText()).isEqualTo("qwen2");
        assertThat(s.get("chat_template").asBoolean()).isTrue();
        assertThat(s.get("tensor_count").asInt()).isEqualTo(4);
        assertThat(s.get("tensor_bytes").asLong()).isEqualTo(3 * 144 + 66 + 60);
        assertThat(s.get("tensor_types").get("Q4_K").get("count").asInt()).isEqualTo(2);
        assertThat(s.get("tensor_types").get("Q4_K").get("bytes").asLong()).isEqualTo(432);
        assertThat(s.get("tensor_types").get("IQ2_XXS").get("bytes").asLong()).isEqualTo(66);
        assertThat(s.get("tensor_types").get("F32").get("count").asInt()).isEqualTo(1);
        assertThat(s.get("unsupported_types").toString()).isEqualTo("[\"IQ2_XXS\"]");
    }

    @Test
    void tableOfAFileMadeByTheWriter() throws Exception {
        Run r = run("inspect", writerMadeFile().toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("architecture\\s+testarch")
                .containsPattern("file type\\s+Q4_K - Medium \\(15\\)")
                .containsPattern("parameters\\s+1\\.04K \\(1,039\\)")
                .containsPattern("heads\\s+\\[8, 8, 4\\] \\(kv 2\\)")
                .containsPattern("tokenizer\\s+gpt2 \\(pre-tokenizer qwen2\\)")
                .containsPattern("chat template\\s+yes")
                .containsPattern("Q4_K\\s+2\\s+768\\s+432 B\\s+supported")
                .containsPattern("IQ2_XXS\\s+1\\s+256\\s+66 B\\s+unsupported")
                .contains("cannot compute with tensor types IQ2_XXS");
    }

    @Test
    void listsEveryKeyAndTensorOnRequest() throws Exception {
        Path file = writerMadeFile();
        Run r = run("inspect", file.toString(), "--metadata", "--tensors");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out())
                .containsPattern("testarch.context_length\\s+UINT32\\s+4096")
                .containsPattern("testarch.attention.head_count\\s+ARRAY\\s+\\[8, 8, 4\\] \\(3 int32\\)")
                .containsPattern("tokenizer.ggml.tokens\\s+ARRAY\\s+\\[\"t0\", \"t1\", \"t2\", \"t3\", \"t4\", \"t5\", \\.\\.\\.\\] \\(10 string\\)")
                .containsPattern("a\\s+Q4_K\\s+\\[256, 2\\]\\s+@0 \\(288 B\\)")
                .containsPattern("b\\s+Q4_K\\s+\\[256\\]\\s+@320 \\(144 B\\)");

        JsonNode s = JSON.readTree(run("inspect", file.toString(), "--json", "--metadata", "--tensors").out());
        assertThat(s.get("metadata").get("general.file_type").get("value").asText()).isEqualTo("15");
        assertThat(s.get("metadata").get("general.name").get("value").asText()).isEqualTo("\"Made Here\"");
        assertThat(s.get("tensors")).hasSize(4);
        assertThat(s.get("tensors").get(1).get("offset").asLong()).isEqualTo(320);
        assertThat(s.get("tensors").get(3).get("dims").toString()).isEqualTo("[3,5]");
    }

    @Test
    void aBadFileIsOneLineWithTheOffsetAndExitCodeTwo() throws Exception {
        Path file = dir.resolve("bad.gguf");
        Files.write(file, "GGUF\u0003\u0000\u0000\u0000not really".getBytes(StandardCharsets.ISO_8859_1));
        Run r = run("inspect", file.toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err().strip()).isEqualTo("chorus: file truncated: reading the metadata count (at byte offset 16)");
    }

    @Test
    void notAGgufFile() throws Exception {
        Path file = Files.writeString(dir.resolve("x.gguf"), "hello world, no magic here");
        Run r = run("inspect", file.toString(), "--json");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("chorus: bad magic 0x6c6c6568, not a GGUF file (at byte offset 0)");
    }

    @Test
    void aMissingFileIsAUserError() {
        Run r = run("inspect", dir.resolve("missing.gguf").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("chorus: no such file:");
    }
}
