package dev.chorus.cli;

import dev.chorus.router.OnnxSentenceEncoder;
import dev.chorus.router.RouteDecision;
import dev.chorus.router.Router;
import dev.chorus.router.RouterModel;
import dev.chorus.router.RoutingPolicy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code chorus bench route}: latency of routing one prompt of about {@code --tokens} encoder tokens (every request a
 * different text, so the embedding cache never hits), with the encoder-only latency of similar texts as baseline, and
 * the process's resident memory: before the router is loaded, once it is loaded, and after routing (the router's share
 * is the difference between the first and the last, measured in this one process after a GC). Besides wall-clock time
 * it reports the process CPU time per request (all threads), which on a busy shared machine is the better estimate of
 * what an idle machine would give.
 */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Routing latency (p50/p99) for prompts of --tokens encoder tokens, and resident memory.")
public final class BenchRouteCommand implements Callable<Integer> {
    @Option(names = "--router", paramLabel = "router.bin", description = "Router file (default: the shipped router).")
    Path routerFile;

    @Option(names = "--tokens", defaultValue = "200", description = "Prompt length in encoder tokens (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--iterations", defaultValue = "300", description = "Timed requests (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--warmup", defaultValue = "50", description = "Untimed warm-up requests (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--window", paramLabel = "N",
            description = "Encoder window in word pieces, [CLS] and [SEP] included (default: the shipped window).")
    Integer window;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    private static final String[] WORDS = ("the router reads a prompt and decides which expert should answer it while "
            + "keeping latency low memory small and accuracy high across code math writing science history advice "
            + "questions stories tables lists and many other kinds of requests from real users every day").split(" ");

    @Override
    public Integer call() throws Exception {
        System.gc();
        long rssBeforeRouter = residentMb();
        try (OnnxSentenceEncoder encoder = window == null ? OnnxSentenceEncoder.miniLm()
                : OnnxSentenceEncoder.miniLm(window)) {
            RouterModel model = RouterSupport.model(routerFile, encoder);
            Router router = new Router(encoder, model, RoutingPolicy.identity(model.labels()));
            System.gc();
            long rssLoaded = residentMb();
            List<String> prompts = new ArrayList<>();
            for (int i = 0; i < warmup + iterations; i++) {
                prompts.add(prompt(encoder, i));
            }
            int promptTokens = encoder.tokenCount(prompts.getFirst());
            for (int i = 0; i < warmup; i++) {
                router.route(prompts.get(i));
                encoder.embed(prompts.get(i) + " warm");
            }
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean();
            // Baseline first: the bare encoder on texts the router will not see (no cache anywhere).
            double[] encode = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                String p = prompts.get(warmup + i) + " baseline";
                long t0 = System.nanoTime();
                encoder.embed(p);
                encode[i] = (System.nanoTime() - t0) / 1e6;
            }
            double[] route = new double[iterations];
            long cpuStart = os.getProcessCpuTime();
            for (int i = 0; i < iterations; i++) {
                long t0 = System.nanoTime();
                RouteDecision d = router.route(prompts.get(warmup + i));
                route[i] = (System.nanoTime() - t0) / 1e6;
                if (d.category() == null) {
                    throw new IllegalStateException("no category");
                }
            }
            double cpuPerRoute = (os.getProcessCpuTime() - cpuStart) / 1e6 / iterations;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("prompt_tokens", promptTokens);
            out.put("window_tokens", encoder.maxTokens());
            out.put("iterations", iterations);
            out.put("route_p50_ms", percentile(route, 50));
            out.put("route_p99_ms", percentile(route, 99));
            out.put("route_cpu_mean_ms", cpuPerRoute);
            out.put("encode_only_p50_ms", percentile(encode, 50));
            out.put("route_over_encode_p50", percentile(route, 50) / percentile(encode, 50));
            out.put("cpus", Runtime.getRuntime().availableProcessors());
            out.put("onnx_threads", OnnxSentenceEncoder.sessionThreads());
            out.put("onnx_spinning", OnnxSentenceEncoder.sessionSpinning());
            out.put("load_average", os.getSystemLoadAverage());
            System.gc();
            long rss = residentMb();
            Runtime rt = Runtime.getRuntime();
            out.put("rss_before_router_mb", rssBeforeRouter);
            out.put("rss_router_loaded_mb", rssLoaded);
            out.put("rss_mb", rss);
            out.put("router_rss_mb", rss - rssBeforeRouter);
            out.put("heap_committed_mb", rt.totalMemory() >> 20);
            out.put("heap_used_mb", (rt.totalMemory() - rt.freeMemory()) >> 20);
            out.put("heap_max_mb", rt.maxMemory() >> 20);
            out.put("gc", java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().getFirst().getName());
            if (json) {
                System.out.println(RouterSupport.PRETTY.writeValueAsString(out));
            } else {
                out.forEach((k, v) -> System.out.printf("%-22s %s%n", k,
                        v instanceof Double d ? String.format("%.3f", d) : v));
            }
        }
        return 0;
    }

    /**
     * A different prompt each time, grown word by word to at most {@code tokens} encoder tokens. The words are joined by
     * spaces, so the prompt's token count is the sum of its words' (counted once each, to keep the heap quiet).
     */
    private String prompt(OnnxSentenceEncoder encoder, int seed) {
        StringBuilder sb = new StringBuilder("Request " + seed + ":");
        int count = encoder.tokenCount(sb.toString());
        int i = seed;
        while (true) {
            String word = WORDS[(i = (i * 31 + 7) & 0x7fffffff) % WORDS.length];
            int wordTokens = wordTokens(encoder, word);
            if (count + wordTokens > tokens) {
                return sb.toString();
            }
            sb.append(' ').append(word);
            count += wordTokens;
        }
    }

    private final Map<String, Integer> wordTokenCounts = new java.util.HashMap<>();

    private int wordTokens(OnnxSentenceEncoder encoder, String word) {
        return wordTokenCounts.computeIfAbsent(word, encoder::tokenCount);
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** VmRSS from /proc (Linux); -1 elsewhere. */
    static long residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (Exception ignored) {
            // not Linux
        }
        return -1;
    }
}
