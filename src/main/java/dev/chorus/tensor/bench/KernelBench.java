package dev.chorus.tensor.bench;

import dev.chorus.gguf.GgmlType;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Runs {@link MatVecBenchmark} and prints a Markdown table of GB/s of weights read, each next to the same-run
 * bandwidth baseline over the same bytes. Usage:
 * {@code java --add-modules jdk.incubator.vector -cp target/chorus.jar dev.chorus.tensor.bench.KernelBench
 * [TYPES] [SHAPES]} with comma-separated lists, e.g. {@code Q8_0,Q4_K 576x1536,49152x576}.
 */
public final class KernelBench {
    private KernelBench() {
    }

    public static final String DEFAULT_TYPES = "Q8_0,Q4_0,Q4_K";
    public static final String DEFAULT_SHAPES = "576x1536,1536x576,49152x576,896x4864,4864x896";

    public static void main(String[] args) throws RunnerException {
        run(args.length > 0 ? args[0] : DEFAULT_TYPES, args.length > 1 ? args[1] : DEFAULT_SHAPES);
    }

    /** Runs the benchmark for comma-separated types and rows x cols shapes, then prints the GB/s table. */
    public static void run(String types, String shapes) throws RunnerException {
        for (String t : types.split(",")) {
            boolean known = java.util.Arrays.stream(GgmlType.values()).anyMatch(g -> g.name().equals(t));
            if (!known || !dev.chorus.tensor.WeightMatrix.supports(GgmlType.valueOf(t))) {
                throw new IllegalArgumentException("no kernels for weight type '" + t + "'");
            }
        }
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .include(MatVecBenchmark.class.getName())
                .param("type", types.split(","))
                .param("shape", shapes.split(","));
        Collection<RunResult> results = new Runner(opts.build()).run();
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        for (RunResult r : results) {
            String type = r.getParams().getParam("type");
            String shape = r.getParams().getParam("shape");
            String bench = r.getParams().getBenchmark();
            String method = bench.substring(bench.lastIndexOf('.') + 1);
            scores.computeIfAbsent(type + " " + shape, k -> new LinkedHashMap<>())
                    .put(method, r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("| type | rows x cols | MB | matVec 1T GB/s | read 1T GB/s | ratio | matVec 2T GB/s "
                + "| read 2T GB/s | ratio | matMul(32) 2T GB/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (var e : scores.entrySet()) {
            String[] key = e.getKey().split(" ");
            String[] rc = key[1].split("x");
            long bytes = GgmlType.valueOf(key[0]).bytesFor(Long.parseLong(rc[0]) * Long.parseLong(rc[1]));
            Map<String, Double> s = e.getValue();
            double m1 = gbs(s.get("matVec1T"), bytes);
            double r1 = gbs(s.get("read1T"), bytes);
            double m2 = gbs(s.get("matVec2T"), bytes);
            double r2 = gbs(s.get("read2T"), bytes);
            double mm = gbs(s.get("matMul2T"), bytes);
            System.out.printf("| %s | %s | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", key[0], key[1],
                    bytes / 1e6, m1, r1, m1 / r1, m2, r2, m2 / r2, mm);
        }
    }

    private static double gbs(Double callsPerSecond, long bytes) {
        return callsPerSecond == null ? Double.NaN : callsPerSecond * bytes / 1e9;
    }
}
