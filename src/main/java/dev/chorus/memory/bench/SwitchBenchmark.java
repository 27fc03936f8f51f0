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
import java.util.List;

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
        if (files.size() < 3) {
            throw new ChorusException("bench switch needs at least 3 experts, got " + files.size());
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
            // each switch is paired with a request on the current expert just before it: equal sample counts, so the
            // minimums compare fairly
            List<Timing> beforeHot = new ArrayList<>();
            List<Timing> beforeWarm = new ArrayList<>();
            List<Timing> beforeCold = new ArrayList<>();
            List<Timing> hot = new ArrayList<>();
            List<Timing> warm = new ArrayList<>();
            List<Timing> cold = new ArrayList<>();
            List<Double> coldPromotion = new ArrayList<>();
            List<Double> disk = new ArrayList<>();
            List<Double> warmTransition = new ArrayList<>();
            double residentBeforeCold = 0;
            for (int r = 0; r < repetitions; r++) {
                String other = id(1 + r % (files.size() - 1));
                log.println("switch " + current + " -> " + other + " (" + (r + 1) + "/" + repetitions + ")");
                awaitPrefetch(store, other);
                awaitLocked(store, other); // a prefetch long ahead of its request: its lock is done too
                beforeHot.add(timeRequest(store, current));
                hot.add(timeRequest(store, other));

                beforeWarm.add(timeRequest(store, current));
                demoteOrFail(store, other, Tier.WARM);
                long transitionsBefore = warmToHotCount(store);
                double warmToHotNanosBefore = warmToHotTotalNanos(store);
                warm.add(timeRequest(store, other));
                if (warmToHotCount(store) == transitionsBefore + 1) {
                    warmTransition.add((warmToHotTotalNanos(store) - warmToHotNanosBefore) / 1e6);
                }

                beforeCold.add(timeRequest(store, current));
                demoteOrFail(store, other, Tier.COLD);
                residentBeforeCold = Math.max(residentBeforeCold, Residency.residentFraction(path(store, other)));
                if (residentBeforeCold > 0.01) {
                    throw new ChorusException("cold is not real: " + other + " still "
                            + Math.round(residentBeforeCold * 100) + "% in the page cache");
                }
                // the disk's bandwidth right now, on another dropped file of the same size (the disk is shared)
                int baseline = baselineIndex(current, other);
                demoteOrFail(store, id(baseline), Tier.COLD);
                disk.add(PhysicalLimits.bestDiskReadGbPerSecond(files.get(baseline)));
                PhysicalLimits.requireDropped(files.get(baseline)); // keep the store's view (cold) true
                double[] promotionMs = new double[1];
                cold.add(timeRequest(store, other, promotionMs));
                coldPromotion.add(promotionMs[0]);
            }
            boolean locked = store.snapshot().experts().stream().anyMatch(ExpertStatus::locked);
            store.close();

            log.println("naive reload ...");
            double[] naive = naiveReload();
            double naiveCold = naiveColdReload();
            double pageCacheWarm = pageCacheWarmMillis();
            double offHeapWarm = PhysicalLimits.offHeapCopyMillis(files.getLast());

            List<Timing> allCurrent = new ArrayList<>(beforeHot);
            allCurrent.addAll(beforeWarm);
            allCurrent.addAll(beforeCold);
            Samples currentCpu = Samples.cpu(allCurrent);
            Samples currentWall = Samples.wall(allCurrent);
            log.println("TTFT samples (ms), CPU time: current " + currentCpu + ", after a switch from hot "
                    + Samples.cpu(hot) + ", from warm " + Samples.cpu(warm));
            log.println("TTFT samples (ms), wall time: current " + currentWall + ", after a switch from hot "
                    + Samples.wall(hot) + ", from warm " + Samples.wall(warm) + ", from cold " + Samples.wall(cold));
            double hotMs = Samples.cpu(hot).overhead(Samples.cpu(beforeHot));
            // a request always waits for the transition itself; a smaller TTFT difference is measurement noise
            double warmTransitionMs = new Samples(warmTransition).min();
            double warmMs = Math.max(Samples.cpu(warm).overhead(Samples.cpu(beforeWarm)), warmTransitionMs);
            // cold: the wall time of the promotion the request waits for (disk read, model parse, runtime start); the
            // first token then runs on resident pages like the warm case. Subtracting two wall-clock TTFTs would mix
            // in the CPU contention of this shared machine, in either direction.
            double coldMs = new Samples(coldPromotion).min();
            log.println("cold promotion samples (ms, wall) " + new Samples(coldPromotion));
            double naiveMs = naive[1] - naive[0];
            double diskGbS = new Samples(disk).max();
            double coldGbS = expertBytes / (coldMs / 1e3) / 1e9;
            return new SwitchResult(expertBytes, files.size(), workload.description(), currentCpu.min(), hotMs,
                    warmMs, warmTransitionMs, coldMs, naiveMs, diskGbS, memGbS, coldGbS,
                    coldGbS / diskGbS, naiveMs / warmMs, pageCacheWarm, offHeapWarm, residentBeforeCold, locked,
                    Samples.wall(warm).medianOverhead(Samples.wall(beforeWarm)),
                    Samples.wall(cold).medianOverhead(Samples.wall(beforeCold)),
                    naive[3] - naive[2], naiveCold, repetitions);
        }
    }

    /**
     * Returns {min TTFT with the model current, min TTFT after closing it and opening the next, and the same two as
     * medians}.
     */
    private double[] naiveReload() throws IOException {
        List<Timing> current = new ArrayList<>();
        List<Timing> switched = new ArrayList<>();
        SwitchWorkload.NaiveModel[] open = {workload.openNaive(files.getFirst())};
        try {
            for (int r = 0; r < repetitions + 1; r++) {
                current.add(Timing.of(() -> open[0].firstToken()));
                Path next = files.get(1 + r % (files.size() - 1));
                Timing t = Timing.of(() -> {
                    open[0].close();
                    open[0] = openNaiveUnchecked(next);
                    open[0].firstToken();
                });
                if (r > 0) {
                    switched.add(t); // the first reload warms the JIT
                }
            }
        } finally {
            open[0].close();
        }
        return new double[] {Samples.cpu(current).min(), Samples.cpu(switched).min(),
                Samples.wall(current).median(), Samples.wall(switched).median()};
    }

    private SwitchWorkload.NaiveModel openNaiveUnchecked(Path file) {
        try {
            return workload.openNaive(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Naive reload when the OS has evicted the next expert's pages: min TTFT after the switch minus min current. */
    private double naiveColdReload() throws IOException {
        List<Timing> current = new ArrayList<>();
        List<Timing> switched = new ArrayList<>();
        SwitchWorkload.NaiveModel[] open = {workload.openNaive(files.getFirst())};
        try {
            for (int r = 0; r < Math.min(3, repetitions); r++) {
                current.add(Timing.of(() -> open[0].firstToken()));
                Path next = files.get(1 + r % (files.size() - 1));
                open[0].close();
                PhysicalLimits.requireDropped(next);
                switched.add(Timing.of(() -> {
                    open[0] = openNaiveUnchecked(next);
                    open[0].firstToken();
                }));
                open[0].close();
                open[0] = workload.openNaive(files.getFirst());
                open[0].firstToken();
            }
        } finally {
            open[0].close();
        }
        return Samples.wall(switched).overhead(Samples.wall(current));
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

    /** An expert that is neither being switched: its file is the disk baseline. */
    private int baselineIndex(String current, String other) {
        for (int i = files.size() - 1; i >= 0; i--) {
            if (!id(i).equals(current) && !id(i).equals(other)) {
                return i;
            }
        }
        throw new ChorusException("bench switch needs at least 3 experts (one is the disk baseline)");
    }

    private static long warmToHotCount(ExpertStore<?> store) {
        return store.meterRegistry().get("chorus.memory.transition").tag("transition", "warm_to_hot").timer().count();
    }

    private static double warmToHotTotalNanos(ExpertStore<?> store) {
        return store.meterRegistry().get("chorus.memory.transition").tag("transition", "warm_to_hot").timer()
                .totalTime(java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Timing timeRequest(ExpertStore<R> store, String id) {
        return timeRequest(store, id, new double[1]);
    }

    /** Times a request; {@code acquireMs[0]} receives the wall time of its acquire (the switch it waited for). */
    private Timing timeRequest(ExpertStore<R> store, String id, double[] acquireMs) {
        return Timing.of(() -> {
            long start = System.nanoTime();
            try (ExpertLease<R> lease = store.acquire(id)) {
                acquireMs[0] = (System.nanoTime() - start) / 1e6;
                workload.firstToken(lease.runtime());
            }
        });
    }

    private static void awaitPrefetch(ExpertStore<?> store, String id) {
        try {
            store.prefetch(id, Tier.HOT).get();
        } catch (Exception e) {
            throw new ChorusException("prefetching " + id + " failed: " + e.getMessage(), e);
        }
    }

    private static void awaitLocked(ExpertStore<?> store, String id) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && store.snapshot().lockingDegraded() == null
                && store.snapshot().experts().stream().noneMatch(e -> e.id().equals(id) && e.locked())) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                return;
            }
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

    private static String id(int i) {
        return "expert-" + i;
    }
}
