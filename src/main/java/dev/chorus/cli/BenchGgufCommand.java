package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.gguf.GgufFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code chorus bench gguf}: CPU time and heap allocation of opening (mapping and parsing) a GGUF file, next to a
 * baseline timed in the same run: reading the same file into a byte[]. CPU time of the benchmark thread is used
 * because wall-clock time on a shared machine mostly measures the other processes.
 */
@Command(name = "gguf", mixinStandardHelpOptions = true,
        description = "Measure GgufFile.open (CPU time, allocation) against reading the file's bytes, same run.")
public final class BenchGgufCommand implements Callable<Integer> {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "The GGUF file to open.")
    Path model;

    @Option(names = "--iterations", defaultValue = "20",
            description = "Timed passes (default ${DEFAULT-VALUE}); the median is reported.")
    int iterations;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    /** What one kind of pass costs: median thread CPU seconds, median wall seconds, bytes allocated. */
    private record Cost(double cpu, double wall, long allocated) {
    }

    private interface Pass {
        long run() throws IOException;
    }

    @Override
    public Integer call() throws IOException {
        if (iterations < 1) {
            throw new IllegalArgumentException("--iterations must be positive");
        }
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException("no such file: " + model);
        }
        Pass open = () -> {
            try (GgufFile f = GgufFile.open(model)) {
                return f.metadata().keys().size() + f.tensors().size();
            }
        };
        Pass read = () -> Files.readAllBytes(model).length;
        for (int i = 0; i < 5; i++) {
            open.run();
            read.run();
        }
        Cost opening = measure(open);
        Cost reading = measure(read);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", model.toString());
        r.put("file_mb", round(Files.size(model) / 1e6));
        r.put("open_cpu_ms", round(opening.cpu() * 1e3));
        r.put("open_wall_ms", round(opening.wall() * 1e3));
        r.put("open_allocated_mb", round(opening.allocated() / 1e6));
        r.put("baseline_read_all_bytes_cpu_ms", round(reading.cpu() * 1e3));
        r.put("open_vs_read_all_bytes", round(opening.cpu() / reading.cpu()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r));
        } else {
            out.printf(Locale.ROOT, "file: %s (%.2f MB); median of %d passes, CPU time of the benchmark thread%n",
                    model, Files.size(model) / 1e6, iterations);
            out.printf(Locale.ROOT, "  GgufFile.open + close:        %9.2f ms CPU (%.2f ms wall), %.1f MB allocated%n",
                    opening.cpu() * 1e3, opening.wall() * 1e3, opening.allocated() / 1e6);
            out.printf(Locale.ROOT, "  baseline Files.readAllBytes:  %9.2f ms CPU%n", reading.cpu() * 1e3);
            out.printf(Locale.ROOT, "  open / readAllBytes:          %9.2fx%n", opening.cpu() / reading.cpu());
        }
        out.flush();
        return 0;
    }

    private Cost measure(Pass pass) throws IOException {
        double[] cpu = new double[iterations];
        double[] wall = new double[iterations];
        long[] allocated = new long[iterations];
        long thread = Thread.currentThread().threadId();
        long sink = 0;
        for (int i = 0; i < iterations; i++) {
            long allocStart = THREADS.getThreadAllocatedBytes(thread);
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            long wallStart = System.nanoTime();
            sink += pass.run();
            wall[i] = (System.nanoTime() - wallStart) / 1e9;
            cpu[i] = (THREADS.getCurrentThreadCpuTime() - cpuStart) / 1e9;
            allocated[i] = THREADS.getThreadAllocatedBytes(thread) - allocStart;
        }
        if (sink == Long.MIN_VALUE) {
            System.out.print("");
        }
        Arrays.sort(cpu);
        Arrays.sort(wall);
        Arrays.sort(allocated);
        return new Cost(cpu[iterations / 2], wall[iterations / 2], allocated[iterations / 2]);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
