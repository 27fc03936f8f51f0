package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufMetadata;
import dev.chorus.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code chorus bench tokenize}: single-thread tokenizer throughput on English text, next to two baselines timed
 * in the same run (UTF-8 encoding and a java.util.regex word split of the same text).
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Measure tokenizer throughput (MB/s, one thread) against baselines from the same run.")
public final class BenchTokenizeCommand implements Callable<Integer> {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final Pattern WORDS = Pattern.compile(" ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+");

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF file with a tokenizer.")
    Path model;

    @Option(names = "--file", paramLabel = "F", description = "UTF-8 text to tokenize (default: generated English).")
    Path file;

    @Option(names = "--bytes", defaultValue = "1000000", description = "Size of the generated text (default ${DEFAULT-VALUE}).")
    int bytes;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed passes (default ${DEFAULT-VALUE}); the median is reported.")
    int iterations;

    @Option(names = "--special", description = "Tokenize with special-token parsing on, as a chat server does.")
    boolean special;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    PrintStream out = System.out;

    @Override
    public Integer call() throws IOException {
        if (iterations < 1 || bytes < 1) {
            throw new IllegalArgumentException("--iterations and --bytes must be positive");
        }
        String text = file != null ? Files.readString(file, StandardCharsets.UTF_8) : EnglishText.generate(bytes, 42);
        double megabytes = text.getBytes(StandardCharsets.UTF_8).length / 1e6;
        GgufMetadata metadata;
        try (GgufFile f = GgufFile.open(model)) {
            metadata = f.metadata();
        }
        long loadStart = System.nanoTime();
        Tokenizer warmup = Tokenizer.fromGguf(metadata);
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
        String other = EnglishText.generate(Math.min(bytes, 300_000), 7);
        for (int i = 0; i < 3; i++) {
            warmup.encode(other, false, special);
            utf8(text);
            regexSplit(text);
        }

        Tokenizer tokenizer = Tokenizer.fromGguf(metadata);
        long coldStart = THREADS.getCurrentThreadCpuTime();
        int tokens = tokenizer.encode(text, false, special).length;
        double coldSeconds = (THREADS.getCurrentThreadCpuTime() - coldStart) / 1e9;
        Timing warm = median(t -> tokenizer.encode(t, false, special).length, text);
        Timing utf8 = median(BenchTokenizeCommand::utf8, text);
        Timing regex = median(BenchTokenizeCommand::regexSplit, text);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", model.toString());
        r.put("text_mb", round(megabytes));
        r.put("tokens", tokens);
        r.put("parse_special", special);
        r.put("load_s", round(loadSeconds));
        r.put("tokenize_mb_per_cpu_s", round(megabytes / warm.cpu()));
        r.put("tokenize_mb_per_wall_s", round(megabytes / warm.wall()));
        r.put("tokenize_cold_cache_mb_per_cpu_s", round(megabytes / coldSeconds));
        r.put("baseline_utf8_encode_mb_per_cpu_s", round(megabytes / utf8.cpu()));
        r.put("baseline_regex_split_mb_per_cpu_s", round(megabytes / regex.cpu()));
        r.put("tokenize_vs_regex_split", round(regex.cpu() / warm.cpu()));
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            out.printf("text: %.2f MB, %d tokens; tokenizer load %.2f s (wall)%n", megabytes, tokens, loadSeconds);
            out.println("MB/s per CPU-second of the benchmark thread (median of " + iterations + "):");
            out.printf("  tokenize (warm word cache): %8.2f MB/s  (%.2f MB/s wall-clock)%n",
                    megabytes / warm.cpu(), megabytes / warm.wall());
            out.printf("  tokenize (cold word cache): %8.2f MB/s%n", megabytes / coldSeconds);
            out.printf("  baseline UTF-8 encode:      %8.2f MB/s%n", megabytes / utf8.cpu());
            out.printf("  baseline regex word split:  %8.2f MB/s%n", megabytes / regex.cpu());
            out.printf("  tokenize / regex split:     %8.2fx%n", regex.cpu() / warm.cpu());
        }
        return 0;
    }

    /** Seconds of thread CPU time and of wall-clock time for one pass. */
    private record Timing(double cpu, double wall) {
    }

    /** Median CPU and wall time over the iterations (CPU time is robust on a busy machine). */
    private Timing median(ToLongFunction<String> task, String text) {
        double[] cpu = new double[iterations];
        double[] wall = new double[iterations];
        long sink = 0;
        for (int i = 0; i < iterations; i++) {
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            sink += task.applyAsLong(text);
            wall[i] = (System.nanoTime() - wallStart) / 1e9;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        }
        if (sink == Long.MIN_VALUE) {
            out.print("");
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        return new Timing(cpu[iterations / 2], wall[iterations / 2]);
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static long regexSplit(String text) {
        Matcher m = WORDS.matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
