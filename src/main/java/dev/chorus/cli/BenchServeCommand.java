package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.memory.bench.SwitchExperts;
import dev.chorus.serve.schedule.bench.ServeBenchResult;
import dev.chorus.serve.schedule.bench.ServeBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code chorus bench serve}: FCFS+LRU against the switch-aware batching scheduler on one CoE workload. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs one Composition-of-Experts workload (Zipf-skewed experts, Poisson arrivals) in this process",
                "through FCFS+LRU and through the switch-aware batching scheduler, each from cold experts with a hot",
                "budget of two experts and a warm budget of four; then one expert's batched decode speed."})
public final class BenchServeCommand implements Callable<Integer> {
    @Option(names = "--experts", defaultValue = "8", description = "Synthetic experts (default ${DEFAULT-VALUE}).")
    int experts;

    @Option(names = "--shape", defaultValue = "smollm2-135m",
            description = "Shape of the synthetic Q8_0 experts: smollm2-135m, qwen2.5-0.5b or tiny (default ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--dir", description = "Folder for the expert files, made once (default: $CHORUS_CACHE/bench-serve or ~/.cache/chorus/bench-serve).")
    Path dir;

    @Option(names = "--files", split = ",", description = "Use these GGUF files as the experts instead.")
    List<Path> files;

    @Option(names = "--requests", defaultValue = "200", description = "Requests (default ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--rate", defaultValue = "0", description = "Arrivals per second (default: --load x one sequence's measured speed).")
    double rate;

    @Option(names = "--load", defaultValue = "2.0", description = "Offered load against one sequence's decode speed when --rate is not given (default ${DEFAULT-VALUE}).")
    double load;

    @Option(names = "--zipf", defaultValue = "1.0", description = "Zipf exponent of the expert mix (default ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--min-tokens", defaultValue = "16", description = "Shortest answer (default ${DEFAULT-VALUE}).")
    int minTokens;

    @Option(names = "--max-tokens", defaultValue = "64", description = "Longest answer (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--fairness-ms", defaultValue = "2000", description = "Switch-aware fairness bound (default ${DEFAULT-VALUE}).")
    int fairnessMillis;

    @Option(names = "--max-batch", defaultValue = "8", description = "Sequences batched per expert (default ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--ctx", defaultValue = "256", description = "Context positions per sequence (default ${DEFAULT-VALUE}).")
    int contextLength;

    @Option(names = {"-t", "--threads"}, description = "Compute threads per forward pass (default: all cores).")
    Integer threads;

    @Option(names = "--seed", defaultValue = "1", description = "Workload seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--json", description = "Print the result as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (experts < 2 || requests < 1 || minTokens < 1 || maxTokens < minTokens || maxBatch < 1 || maxBatch > 64) {
            throw new IllegalArgumentException("need --experts >= 2, --requests >= 1, 1 <= --min-tokens <= --max-tokens, "
                    + "1 <= --max-batch <= 64");
        }
        PrintStream log = json ? System.err : System.out;
        Path folder = dir != null ? dir : defaultDir();
        try (SwitchExperts set = files != null ? SwitchExperts.existing(files)
                : SwitchExperts.synthesize(folder, experts, shape, log)) {
            int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
            ServeBenchResult r = new ServeBenchmark(new ServeBenchmark.Options(set.files(), t, requests, rate, load,
                    zipf, minTokens, maxTokens, fairnessMillis, maxBatch, contextLength, seed), log).run();
            if (json) {
                System.out.println(new ObjectMapper().writeValueAsString(r));
            } else {
                System.out.printf(Locale.ROOT, "chorus vs fcfs-lru: throughput %.2fx, p99 latency %.2fx%n",
                        r.throughputRatio(), r.p99Ratio());
            }
        }
        return 0;
    }

    private static Path defaultDir() {
        String cache = System.getenv("CHORUS_CACHE");
        Path root = cache != null ? Path.of(cache) : Path.of(System.getProperty("user.home"), ".cache", "chorus");
        return root.resolve("bench-serve");
    }
}
