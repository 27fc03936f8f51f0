package dev.chorus.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Time to render one request's prompt with a compiled (cached) template, against compiling the template for every
 * request (the baseline the cache removes). Conversations are reference cases from ../shared. Run:
 * {@code java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:$(cat cp.txt)
 * dev.chorus.chat.ChatTemplateBenchmark} (see docs/PERFORMANCE.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ChatTemplateBenchmark {
    /** template:case id. */
    @Param({"chatml:multi_turn/gen", "llama3.1:tool_call_final_answer/gen", "qwen3:tool_call_final_answer/gen"})
    public String input;

    private String source;
    private ChatTemplate compiled;
    private List<ChatMessage> messages;
    private Map<String, Object> extra;
    private String bos;
    private String eos;

    @Setup
    @SuppressWarnings("unchecked")
    public void setUp() throws IOException {
        Path root = SharedData.root();
        if (root == null) {
            throw new IllegalStateException("the benchmark needs ../shared/reference/chat_templates");
        }
        String[] parts = input.split(":");
        Path dir = root.resolve("reference/chat_templates");
        source = Files.readString(dir.resolve(parts[0] + ".jinja"));
        compiled = ChatTemplate.compile(source);
        ObjectMapper json = new ObjectMapper();
        for (JsonNode c : json.readTree(dir.resolve(parts[0] + ".cases.json").toFile())) {
            if (c.get("id").asText().equals(parts[1])) {
                messages = new ArrayList<>();
                for (JsonNode m : c.get("messages")) {
                    messages.add(ChatMessage.fromMap(json.treeToValue(m, LinkedHashMap.class)));
                }
                extra = new LinkedHashMap<>();
                if (c.has("tools")) {
                    extra.put("tools", json.treeToValue(c.get("tools"), List.class));
                }
                if (c.has("extra")) {
                    extra.putAll(json.treeToValue(c.get("extra"), LinkedHashMap.class));
                }
                bos = c.get("bos_token").isNull() ? null : c.get("bos_token").asText();
                eos = c.get("eos_token").asText();
            }
        }
    }

    @Benchmark
    public String renderCompiled() {
        return compiled.render(messages, true, bos, eos, extra);
    }

    @Benchmark
    public String compileEveryRequest() {
        return ChatTemplate.compileUncached(source).render(messages, true, bos, eos, extra);
    }

    public static void main(String[] args) throws RunnerException {
        new Runner(new OptionsBuilder().include(ChatTemplateBenchmark.class.getSimpleName()).build()).run();
    }
}
