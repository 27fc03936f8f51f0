package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.memory.ByteSize;
import dev.chorus.memory.bench.SwitchBenchmark;
import dev.chorus.memory.bench.SwitchExperts;
import dev.chorus.memory.bench.SwitchResult;
import dev.chorus.memory.bench.SwitchWorkloads;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code chorus bench switch}: expert switch overhead from hot, warm and cold tiers against a naive reload. */
@Command(name = "switch", mixinStandardHelpOptions = true,
        description = {"Measures the time a request loses when its expert is not the current one: from hot, warm and",
                "cold (pages dropped and verified with mincore), against closing the current model and opening the",
                "next from its file. Also measures disk read and memory bandwidth in the same run."})
public final class BenchSwitchCommand implements Callable<Integer> {
    @Option(names = "--experts", defaultValue = "8", description = "Number of synthetic experts (default ${DEFAULT-VALUE}).")
    int experts;

    @Option(names = "--reps", defaultValue = "9", description = "Switches measured per tier (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--dir", description = "Folder for the expert files (default: a temporary folder, removed after).")
    Path dir;

    @Option(names = "--files", split = ",", description = "Use these GGUF files as the experts instead of synthesizing.")
    List<Path> files;

    @Option(names = "--shape", defaultValue = "smollm2-135m",
            description = "Shape of the synthetic Q8_0 experts (chorus synth): smollm2-135m, qwen2.5-0.5b or tiny (default ${DEFAULT-VALUE}).")
    String shape;

    @Option(names = "--workload", defaultValue = "engine",
            description = "engine (the Chorus engine runs a prompt to its first token) or mapped (weights only, for files "
                    + "that are not models); default ${DEFAULT-VALUE}.")
    String workload;

    @Option(names = {"-t", "--threads"}, defaultValue = "1", description = "Engine threads (default ${DEFAULT-VALUE}: "
            + "all of a request's work on its own thread, so its CPU time is its uncontended cost).")
    int threads;

    @Option(names = "--ctx", defaultValue = "512", description = "Context length budgeted per expert (default ${DEFAULT-VALUE}).")
    int contextLength;

    @Option(names = "--prompt", defaultValue = "1", description = "Prompt tokens per request (default ${DEFAULT-VALUE}).")
    int promptTokens;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (experts < 3) {
            throw new IllegalArgumentException("--experts must be at least 3");
        }
        if (repetitions < 1) {
            throw new IllegalArgumentException("--reps must be at least 1");
        }
        PrintStream log = json ? System.err : System.out;
        try (SwitchExperts set = files != null ? SwitchExperts.existing(files)
                : SwitchExperts.synthesize(dir, experts, shape, log)) {
            SwitchResult r = new SwitchBenchmark<>(SwitchWorkloads.byName(workload, threads, contextLength, promptTokens), set.files(), repetitions, log).run();
            if (json) {
                System.out.println(new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r));
            } else {
                print(r);
            }
        }
        return 0;
    }

    private static void print(SwitchResult r) {
        System.out.printf(Locale.ROOT, "workload: %s%n", r.workload());
        System.out.printf(Locale.ROOT, "experts: %d x %s (hot experts locked: %s)%n", r.experts(),
                ByteSize.format(r.expertBytes()), r.hotLocked());
        System.out.printf(Locale.ROOT, "time to first token, expert current: %.1f ms CPU (minimum; each overhead below is the minimum "
                + "over %d switches of TTFT after the switch minus TTFT just before it: CPU time of the request thread "
                + "for hot, warm and naive; for cold the wall time of the promotion the request waited for)%n", r.ttftCurrentMs(), r.repetitions());
        System.out.printf(Locale.ROOT, "switch overhead   hot: %8.1f ms%n", r.hotSwitchMs());
        System.out.printf(Locale.ROOT, "switch overhead  warm: %8.1f ms   (%.1fx faster than naive)%n",
                r.warmToHotMs(), r.warmSpeedupVsNaive());
        System.out.printf(Locale.ROOT, "  (of which the warm->hot transition itself: %.2f ms)%n",
                r.warmToHotTransitionMs());
        System.out.printf(Locale.ROOT, "switch overhead  cold: %8.1f ms   (%.2f GB/s = %.0f%% of disk bandwidth)%n",
                r.coldToHotMs(), r.coldReadGbS(), 100 * r.coldFractionOfDiskBw());
        System.out.printf(Locale.ROOT, "naive reload:          %8.1f ms (page cache as the OS left it)%n",
                r.naiveReloadMs());
        System.out.printf(Locale.ROOT, "naive reload, evicted: %8.1f ms (its pages dropped first: %.1fx our cold)%n",
                r.naiveColdReloadMs(), r.naiveColdReloadMs() / r.coldToHotMs());
        System.out.printf(Locale.ROOT, "wall-time medians: warm %.1f ms, cold %.1f ms, naive %.1f ms%n", r.warmToHotMedianMs(),
                r.coldToHotMedianMs(), r.naiveReloadMedianMs());
        System.out.printf(Locale.ROOT, "disk sequential read:  %8.2f GB/s (best of the reads beside each cold switch; mincore-verified)%n",
                r.diskReadGbS());
        System.out.printf(Locale.ROOT, "memory copy:           %8.2f GB/s%n", r.memoryCopyGbS());
        System.out.printf(Locale.ROOT, "cold->warm: page cache %.1f ms, off-heap copy %.1f ms%n",
                r.coldToWarmPageCacheMs(), r.coldToWarmOffHeapCopyMs());
    }
}
