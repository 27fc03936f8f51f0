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
 * request (the baseline the cache removes). Conversations are reference cases from ../shared. See
 * docs/PERFORMANCE.md ("Chat templates") for the command.
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
        if (input == null) {
            throw new IllegalStateException("no input");
        }
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

    /**
     * Thread-CPU-time per render (median of 5 passes), cached against compile-every-request, for each input. CPU time
     * rather than wall clock because the shared development machines run many other processes. For a JMH run:
     * {@code java ... org.openjdk.jmh.Main ChatTemplateBenchmark}.
     */
    public static void main(String[] args) throws IOException, NoSuchFieldException {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.printf("%-38s %14s %18s %8s%n", "input", "render (us)", "compile+render (us)", "ratio");
        for (String in : ChatTemplateBenchmark.class.getField("input").getAnnotation(Param.class).value()) {
            ChatTemplateBenchmark b = new ChatTemplateBenchmark();
            b.input = in;
            b.setUp();
            double render = medianMicros(cpu, b::renderCompiled, 2000);
            double compile = medianMicros(cpu, b::compileEveryRequest, 100);
            System.out.printf("%-38s %14.1f %18.1f %7.1fx%n", in, render, compile, compile / render);
        }
    }

    private static double medianMicros(java.lang.management.ThreadMXBean cpu, Runnable work, int n) {
        for (int i = 0; i < n; i++) {
            work.run();
        }
        double[] passes = new double[5];
        for (int p = 0; p < passes.length; p++) {
            long start = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < n; i++) {
                work.run();
            }
            passes[p] = (cpu.getCurrentThreadCpuTime() - start) / 1e3 / n;
        }
        java.util.Arrays.sort(passes);
        return passes[passes.length / 2];
    }
}
