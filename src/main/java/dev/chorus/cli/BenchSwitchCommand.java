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

    @Option(names = "--reps", defaultValue = "5", description = "Switches measured per tier (default ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--dir", description = "Folder for the expert files (default: a temporary folder, removed after).")
    Path dir;

    @Option(names = "--files", split = ",", description = "Use these GGUF files as the experts instead of synthesizing.")
    List<Path> files;

    @Option(names = "--expert-size", description = "Bytes per synthetic expert when no engine synth is used "
            + "(default: SmolLM2-135M Q8_0 size).")
    String expertSize;

    @Option(names = "--json", description = "Print the results as one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (experts < 2) {
            throw new IllegalArgumentException("--experts must be at least 2");
        }
        if (repetitions < 1) {
            throw new IllegalArgumentException("--reps must be at least 1");
        }
        PrintStream log = json ? System.err : System.out;
        try (SwitchExperts set = files != null ? SwitchExperts.existing(files)
                : SwitchExperts.synthesize(dir, experts, expertSize == null ? -1 : ByteSize.parse(expertSize), log)) {
            SwitchResult r = new SwitchBenchmark<>(SwitchWorkloads.best(), set.files(), repetitions, log).run();
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
        System.out.printf(Locale.ROOT, "time to first token, expert current: %.1f ms%n", r.ttftCurrentMs());
        System.out.printf(Locale.ROOT, "switch overhead   hot: %8.1f ms%n", r.hotSwitchMs());
        System.out.printf(Locale.ROOT, "switch overhead  warm: %8.1f ms   (%.1fx faster than naive)%n",
                r.warmToHotMs(), r.warmSpeedupVsNaive());
        System.out.printf(Locale.ROOT, "  (of which the warm->hot transition itself: %.2f ms)%n",
                r.warmToHotTransitionMs());
        System.out.printf(Locale.ROOT, "switch overhead  cold: %8.1f ms   (%.2f GB/s = %.0f%% of disk bandwidth)%n",
                r.coldToHotMs(), r.coldReadGbS(), 100 * r.coldFractionOfDiskBw());
        System.out.printf(Locale.ROOT, "naive reload:          %8.1f ms%n", r.naiveReloadMs());
        System.out.printf(Locale.ROOT, "disk sequential read:  %8.2f GB/s (median, measured beside each cold switch; mincore-verified)%n",
                r.diskReadGbS());
        System.out.printf(Locale.ROOT, "memory copy:           %8.2f GB/s%n", r.memoryCopyGbS());
        System.out.printf(Locale.ROOT, "cold->warm: page cache %.1f ms, off-heap copy %.1f ms%n",
                r.coldToWarmPageCacheMs(), r.coldToWarmOffHeapCopyMs());
    }
}
