package dev.chorus.memory.bench;

import dev.chorus.ChorusException;
import dev.chorus.memory.ExpertLease;
import dev.chorus.memory.ExpertRuntime;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.ExpertStatus;
import dev.chorus.memory.Residency;
import dev.chorus.memory.Tier;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Measures expert switch overhead from hot, warm and cold against the naive reload, and the physical limits (disk
 * read bandwidth from a dropped cache, memory copy bandwidth) in the same run, over N expert files.
 */
public final class SwitchBenchmark<R extends ExpertRuntime> {
    private static final int WARMUP_REQUESTS = 20;
    private final SwitchWorkload<R> workload;
    private final List<Path> files;
    private final int repetitions;
    private final PrintStream log;

    public SwitchBenchmark(SwitchWorkload<R> workload, List<Path> files, int repetitions, PrintStream log) {
        if (files.size() < 2) {
            throw new ChorusException("bench switch needs at least 2 experts, got " + files.size());
        }
        this.workload = workload;
        this.files = List.copyOf(files);
        this.repetitions = repetitions;
        this.log = log;
    }

    public SwitchResult run() throws IOException {
        long expertBytes = Files.size(files.getFirst());
        log.println("physical limits ...");
        double memGbS = PhysicalLimits.memoryCopyGbPerSecond(Math.min(expertBytes, 256L << 20), 5);

        try (ExpertStore<R> store = ExpertStore.builder(workload.factory())
                .hotMemory(3 * (expertBytes + (64L << 20))).warmMemory(files.size() * expertBytes).build()) {
            for (int i = 0; i < files.size(); i++) {
                store.register(id(i), files.get(i));
            }
            log.println("warming up ...");
            for (int i = 0; i < WARMUP_REQUESTS; i++) { // let the JIT compile the request path first
                timeRequest(store, id(i % 2));
            }
            String current = id(0);
            double ttftCurrent = median(() -> timeRequest(store, current));
            List<Double> hot = new ArrayList<>();
            List<Double> warm = new ArrayList<>();
            List<Double> cold = new ArrayList<>();
            List<Double> disk = new ArrayList<>();
            List<Double> coldFraction = new ArrayList<>();
            List<Double> warmTransition = new ArrayList<>();
            double residentBeforeCold = 0;
            for (int r = 0; r < repetitions; r++) {
                String other = id(1 + r % (files.size() - 1));
                log.println("switch " + current + " -> " + other + " (" + (r + 1) + "/" + repetitions + ")");
                timeRequest(store, current);
                awaitPrefetch(store, other);
                hot.add(timeRequest(store, other) - ttftCurrent);

                timeRequest(store, current);
                demoteOrFail(store, other, Tier.WARM);
                long transitionsBefore = warmToHotCount(store);
                double warmToHotNanosBefore = warmToHotTotalNanos(store);
                warm.add(timeRequest(store, other) - ttftCurrent);
                if (warmToHotCount(store) == transitionsBefore + 1) {
                    warmTransition.add((warmToHotTotalNanos(store) - warmToHotNanosBefore) / 1e6);
                }

                timeRequest(store, current);
                demoteOrFail(store, other, Tier.COLD);
                residentBeforeCold = Math.max(residentBeforeCold, Residency.residentFraction(path(store, other)));
                if (residentBeforeCold > 0.01) {
                    throw new ChorusException("cold is not real: " + other + " still "
                            + Math.round(residentBeforeCold * 100) + "% in the page cache");
                }
                // the disk's bandwidth right now, on another dropped file of the same size (the disk is shared)
                double diskGbS = PhysicalLimits.diskReadGbPerSecond(List.of(baselineFile(current, other)));
                double coldMs = timeRequest(store, other) - ttftCurrent;
                cold.add(coldMs);
                disk.add(diskGbS);
                coldFraction.add(expertBytes / (coldMs / 1e3) / 1e9 / diskGbS);
            }
            boolean locked = store.snapshot().experts().stream().anyMatch(ExpertStatus::locked);
            store.close();

            log.println("naive reload ...");
            double[] naive = naiveReload();
            double pageCacheWarm = pageCacheWarmMillis();
            double offHeapWarm = PhysicalLimits.offHeapCopyMillis(files.getLast());

            double warmMs = median(warm);
            double coldMs = median(cold);
            double naiveMs = naive[1] - naive[0];
            double coldGbS = expertBytes / (coldMs / 1e3) / 1e9;
            return new SwitchResult(expertBytes, files.size(), workload.description(), ttftCurrent, median(hot),
                    warmMs, median(warmTransition), coldMs, naiveMs, median(disk), memGbS, coldGbS,
                    median(coldFraction), naiveMs / warmMs, pageCacheWarm, offHeapWarm, residentBeforeCold, locked);
        }
    }

    /** Returns {naive TTFT with the model current, naive TTFT after closing it and opening the next} (medians). */
    private double[] naiveReload() throws IOException {
        List<Double> current = new ArrayList<>();
        List<Double> switched = new ArrayList<>();
        SwitchWorkload.NaiveModel open = workload.openNaive(files.getFirst());
        try {
            for (int r = 0; r < repetitions + 1; r++) {
                long start = System.nanoTime();
                open.firstToken();
                current.add((System.nanoTime() - start) / 1e6);
                Path next = files.get(1 + r % (files.size() - 1));
                start = System.nanoTime();
                open.close();
                open = workload.openNaive(next);
                open.firstToken();
                if (r > 0) {
                    switched.add((System.nanoTime() - start) / 1e6); // the first reload warms the JIT
                }
            }
        } finally {
            open.close();
        }
        return new double[] {median(current), median(switched)};
    }

    /** Our warm tier's cold -> warm step on its own: a store that only prefetches to WARM. */
    private double pageCacheWarmMillis() throws IOException {
        Path file = files.getLast();
        PhysicalLimits.requireDropped(file);
        try (ExpertStore<R> store = ExpertStore.builder(workload.factory())
                .hotMemory(2 * Files.size(file) + (64L << 20)).warmMemory(2 * Files.size(file)).build()) {
            store.register("w", file);
            long start = System.nanoTime();
            store.prefetch("w", Tier.WARM).get();
            return (System.nanoTime() - start) / 1e6;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChorusException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ChorusException("warming " + file + " failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A file that is neither expert being switched, for the disk baseline (with 2 experts, the current's). */
    private Path baselineFile(String current, String other) {
        for (int i = files.size() - 1; i >= 0; i--) {
            if (!id(i).equals(current) && !id(i).equals(other)) {
                return files.get(i);
            }
        }
        throw new IllegalStateException("no baseline file");
    }

    private static long warmToHotCount(ExpertStore<?> store) {
        return store.meterRegistry().get("chorus.memory.transition").tag("transition", "warm_to_hot").timer().count();
    }

    private static double warmToHotTotalNanos(ExpertStore<?> store) {
        return store.meterRegistry().get("chorus.memory.transition").tag("transition", "warm_to_hot").timer()
                .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private double timeRequest(ExpertStore<R> store, String id) {
        long start = System.nanoTime();
        try (ExpertLease<R> lease = store.acquire(id)) {
            workload.firstToken(lease.runtime());
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static void awaitPrefetch(ExpertStore<?> store, String id) {
        try {
            store.prefetch(id, Tier.HOT).get();
        } catch (Exception e) {
            throw new ChorusException("prefetching " + id + " failed: " + e.getMessage(), e);
        }
    }

    private static void demoteOrFail(ExpertStore<?> store, String id, Tier tier) {
        if (!store.demote(id, tier)) {
            throw new ChorusException("could not demote " + id + " to " + tier);
        }
    }

    private static Path path(ExpertStore<?> store, String id) {
        return store.snapshot().experts().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow().path();
    }

    private double median(Supplier<Double> sample) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < Math.max(3, repetitions); i++) {
            values.add(sample.get());
        }
        return median(values);
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static String id(int i) {
        return "expert-" + i;
    }
}
