package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.serve.bench.ServeOverheadBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code chorus bench serve-overhead}: HTTP + routing + template cost against direct generation, same run. */
@Command(name = "serve-overhead", mixinStandardHelpOptions = true,
        description = {"Server overhead: a fixed-length greedy answer timed through the HTTP server (routing, chat",
                "template, JSON) and as a direct call of the same expert's generation, interleaved in one process."})
public final class BenchServeOverheadCommand implements Callable<Integer> {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "MODEL.gguf",
            description = "The expert (e.g. a SmolLM2-135M-shape file from chorus synth).")
    Path model;

    @Option(names = "--tokens", defaultValue = "32",
            description = "Answer length in tokens (default ${DEFAULT-VALUE}).")
    int tokens;

    @Option(names = "--runs", defaultValue = "10", description = "Measured runs of each (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--threads", description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (tokens < 1 || runs < 1) {
            throw new IllegalArgumentException("--tokens and --runs must be at least 1");
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ServeOverheadBenchmark.Result r = ServeOverheadBenchmark.run(model, tokens, runs, t,
                new PrintStream(OutputStream.nullOutputStream()));
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
        } else {
            System.out.printf(Locale.ROOT, "model %s, %d-token greedy answers, %d runs each, %d threads%n",
                    r.model(), r.tokens(), r.runs(), t);
            System.out.printf(Locale.ROOT, "  through HTTP (route + template + JSON): median %.1f ms (p90 %.1f)%n",
                    r.httpMedianMs(), r.httpP90Ms());
            System.out.printf(Locale.ROOT, "  direct generation:                      median %.1f ms (p90 %.1f)%n",
                    r.directMedianMs(), r.directP90Ms());
            System.out.printf(Locale.ROOT,
                    "  server overhead: %.1f ms = %.2f%% of end-to-end wall time (router %.1f ms)%n",
                    r.overheadMs(), 100 * r.overheadFraction(), r.routerMedianMs());
            System.out.printf(Locale.ROOT, "  process CPU time (mean): HTTP %.1f ms, direct %.1f ms: overhead %.2f%%%n",
                    r.httpCpuMeanMs(), r.directCpuMeanMs(), 100 * r.cpuOverheadFraction());
        }
        return 0;
    }
}
