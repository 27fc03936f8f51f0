package dev.chorus.serve.schedule.bench;

import dev.chorus.gguf.GgufFile;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.Residency;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;
import dev.chorus.serve.config.SchedulerSettings;
import dev.chorus.serve.local.BatchSession;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import dev.chorus.serve.schedule.BatchingScheduler;
import dev.chorus.serve.schedule.Schedulers;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code chorus bench serve}: one CoE workload (Zipf-skewed experts, Poisson arrivals, greedy answers of fixed
 * length) run in this process through the batching scheduler under FCFS+LRU and under the switch-aware policy, each
 * from cold experts with the same budgets; then one expert's decode speed with 1, 2, 4 and 8 sequences batched.
 */
public final class ServeBenchmark {
    /** Benchmark parameters; {@code rate} 0 = derive the arrival rate from a measured single-sequence speed. */
    public record Options(List<Path> files, int threads, int requests, double rate, double load, double zipf,
                          int minTokens, int maxTokens, int fairnessMillis, int maxBatch, int contextLength,
                          long seed) {
    }

    private final Options o;
    private final PrintStream log;

    public ServeBenchmark(Options options, PrintStream log) {
        this.o = options;
        this.log = log;
    }

    public ServeBenchResult run() throws Exception {
        ModelRuntime.Factory factory = new ModelRuntime.Factory(o.threads(), o.maxBatch(), o.contextLength());
        long hotOne = 0;
        long fileOne = 0;
        for (Path f : o.files()) {
            try (GgufFile g = GgufFile.open(f)) {
                hotOne = Math.max(hotOne, g.fileSize() + factory.stateBytes(g));
                fileOne = Math.max(fileOne, g.fileSize());
            }
        }
        long hotBudget = 2 * hotOne + (1 << 20);
        long warmBudget = 4 * fileOne + (1 << 20);
        Map<String, Double> batched = batchedDecode(factory, hotBudget, warmBudget);
        double single = batched.get("1");
        double rate = o.rate() > 0 ? o.rate() : o.load() * single / ((o.minTokens() + o.maxTokens()) / 2.0);
        ServeWorkload workload = ServeWorkload.generate(o.requests(), o.files().size(), rate, o.zipf(), o.minTokens(),
                o.maxTokens(), o.seed());
        log.printf(Locale.ROOT, "workload: %d requests, %d experts, Poisson %.2f req/s (%.1fx one sequence's speed "
                        + "of %.1f tok/s), Zipf %.1f, %d-%d tokens; hot budget %d MiB (2 experts), warm %d MiB (4)%n",
                o.requests(), o.files().size(), rate, o.load(), single, o.zipf(), o.minTokens(), o.maxTokens(),
                hotBudget >> 20, warmBudget >> 20);
        Map<String, PolicyResult> policies = new LinkedHashMap<>();
        policies.put("fcfs-lru", runPolicy("fcfs-lru", workload, factory, hotBudget, warmBudget, fileOne));
        policies.put("chorus", runPolicy("switch-aware", workload, factory, hotBudget, warmBudget, fileOne));
        PolicyResult base = policies.get("fcfs-lru");
        PolicyResult chorus = policies.get("chorus");
        Map<String, Object> setup = new LinkedHashMap<>();
        setup.put("experts", o.files().size());
        setup.put("expert_bytes", fileOne);
        setup.put("requests", o.requests());
        setup.put("arrival_rate", rate);
        setup.put("zipf", o.zipf());
        setup.put("tokens", o.minTokens() + "-" + o.maxTokens());
        setup.put("threads", o.threads());
        setup.put("max_batch", o.maxBatch());
        setup.put("fairness_ms", o.fairnessMillis());
        setup.put("hot_budget", hotBudget);
        setup.put("warm_budget", warmBudget);
        double ceiling = speedAt(batched, chorus.tokensPerPass()) / speedAt(batched, base.tokensPerPass());
        log.printf(Locale.ROOT, "tokens per forward pass: fcfs-lru %.2f, chorus %.2f; with free switches that alone "
                + "would give %.2fx%n", base.tokensPerPass(), chorus.tokensPerPass(), ceiling);
        return new ServeBenchResult(setup, policies, chorus.requestsPerSecond() / base.requestsPerSecond(),
                chorus.latencyP99() / base.latencyP99(), batched, ceiling);
    }

    /** Batched decode tokens/s at {@code n} sequences, linear between the measured counts (1, 2, 4, 8). */
    static double speedAt(Map<String, Double> batched, double n) {
        double lowN = 1;
        double low = batched.get("1");
        for (var e : batched.entrySet()) {
            double k = Double.parseDouble(e.getKey());
            if (k >= n) {
                return k == lowN ? e.getValue() : low + (e.getValue() - low) * (n - lowN) / (k - lowN);
            }
            lowN = k;
            low = e.getValue();
        }
        return low;   // beyond the largest measured batch
    }

    private ExpertStore<ModelRuntime> store(ModelRuntime.Factory factory, String policy, long hot, long warm,
                                            SimpleMeterRegistry registry) throws IOException {
        ExpertStore<ModelRuntime> store = ExpertStore.builder(factory).hotMemory(hot).warmMemory(warm)
                .policy(Schedulers.evictionPolicy(new SchedulerSettings(policy, null, null, null)))
                .meterRegistry(registry).build();
        for (int i = 0; i < o.files().size(); i++) {
            Residency.dropFromPageCache(o.files().get(i));   // every policy starts from cold experts
            store.register("e" + i, o.files().get(i));
        }
        return store;
    }

    private Map<String, ExpertBackend> experts(ExpertStore<ModelRuntime> store) throws IOException {
        Map<String, ExpertBackend> experts = new LinkedHashMap<>();
        for (int i = 0; i < o.files().size(); i++) {
            experts.put("e" + i, LocalExpert.open("e" + i, "", o.files().get(i), store));
        }
        return experts;
    }

    private static GenerationRequest request(String prompt, int tokens) {
        return new GenerationRequest(new PromptInput.Text(prompt), SamplingSettings.greedy(), tokens, List.of(), -1,
                true);
    }

    private PolicyResult runPolicy(String policy, ServeWorkload workload, ModelRuntime.Factory factory, long hot,
                                   long warm, long fileBytes) throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ExpertStore<ModelRuntime> store = store(factory, policy, hot, warm, registry)) {
            Map<String, ExpertBackend> experts = experts(store);
            SchedulerSettings settings = new SchedulerSettings(policy, o.fairnessMillis(), o.maxBatch(), 0);
            List<Timing> timings = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(workload.items().size());
            BatchingScheduler scheduler = (BatchingScheduler) Schedulers.create(settings, 1, 1_000_000, store,
                    experts, 2, 4);
            long start = System.nanoTime();
            try (scheduler) {
                for (ServeWorkload.Item item : workload.items()) {
                    long due = start + (long) (item.arrivalSeconds() * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    ExpertBackend e = experts.get("e" + item.expert());
                    GenerationRequest r = request(item.prompt(), item.tokens());
                    Timing t = new Timing(System.nanoTime(), done);
                    timings.add(t);
                    scheduler.submit(new GenerationJob(e, e.prepare(r.input()), r, t, new CancellationToken(),
                            t.submitted));
                }
                if (!done.await(1, TimeUnit.HOURS)) {
                    throw new IllegalStateException("the " + policy + " run did not finish within an hour");
                }
            }
            long end = timings.stream().mapToLong(t -> t.ended).max().orElse(start);
            double seconds = (end - start) / 1e9;
            long tokens = timings.stream().mapToLong(t -> t.tokens).sum();
            int failed = (int) timings.stream().filter(t -> t.failed).count();
            double[] latency = timings.stream().mapToDouble(t -> (t.ended - t.submitted) / 1e6).sorted().toArray();
            double[] ttft = timings.stream().filter(t -> t.firstToken > 0)
                    .mapToDouble(t -> (t.firstToken - t.submitted) / 1e6).sorted().toArray();
            long diskLoads = count(registry, "cold_to_warm");
            long hotLoads = count(registry, "warm_to_hot");
            PolicyResult r = new PolicyResult(timings.size(), failed, seconds, timings.size() / seconds,
                    tokens / seconds, percentile(latency, 50), percentile(latency, 99), percentile(ttft, 50),
                    percentile(ttft, 99), scheduler.core().switches(), scheduler.core().steps(), diskLoads, hotLoads,
                    diskLoads * fileBytes, (double) tokens / Math.max(1, scheduler.core().steps()));
            log.printf(Locale.ROOT, "%-12s %6.2f req/s %7.1f tok/s  latency p50 %7.0f p99 %7.0f ms  TTFT p50 %7.0f "
                            + "p99 %7.0f ms  switches %d  disk loads %d (%d MiB)  hot loads %d%n", policy,
                    r.requestsPerSecond(), r.tokensPerSecond(), r.latencyP50(), r.latencyP99(), r.ttftP50(),
                    r.ttftP99(), r.switches(), diskLoads, r.bytesLoaded() >> 20, hotLoads);
            return r;
        }
    }

    private static long count(SimpleMeterRegistry registry, String transition) {
        Timer t = registry.find("chorus.memory.transition").tag("transition", transition).timer();
        return t == null ? 0 : t.count();
    }

    /** Decode tokens/s of one hot expert with n sequences decoding together (prefill excluded). */
    private Map<String, Double> batchedDecode(ModelRuntime.Factory factory, long hot, long warm) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        try (ExpertStore<ModelRuntime> store = store(factory, "fcfs-lru", hot, warm, new SimpleMeterRegistry())) {
            LocalExpert expert = (LocalExpert) experts(store).get("e0");
            int tokens = 32;
            // Warm-up: the first measurement would otherwise also time the JIT compiling the batched paths.
            decodeOnce(expert, Math.min(4, o.maxBatch()), tokens);
            decodeOnce(expert, 1, tokens);
            for (int n : new int[]{1, 2, 4, 8}) {
                if (n > o.maxBatch()) {
                    break;
                }
                double best = 0;
                for (int rep = 0; rep < 2; rep++) {
                    best = Math.max(best, decodeOnce(expert, n, tokens));
                }
                out.put(String.valueOf(n), best);
                log.printf(Locale.ROOT, "batched decode: %d sequence(s) %7.1f tok/s (%.2fx one)%n", n, best,
                        best / out.get("1"));
            }
        }
        return out;
    }

    private static double decodeOnce(LocalExpert expert, int n, int tokens) {
        try (BatchSession s = expert.openBatch()) {
            List<Timing> sinks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                GenerationRequest r = request("Sequence " + i, tokens);
                Timing t = new Timing(System.nanoTime(), new CountDownLatch(1));
                sinks.add(t);
                s.join(new GenerationJob(expert, expert.prepare(r.input()), r, t, new CancellationToken(), 0));
            }
            s.step();   // prefill of all prompts (and the first token of each)
            long start = System.nanoTime();
            while (s.active() > 0) {
                s.step();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return n * (tokens - 1) / seconds;
        }
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    /** Records one request's times; never blocks. */
    private static final class Timing implements TokenSink {
        final long submitted;
        final CountDownLatch done;
        volatile long firstToken;
        volatile long ended;
        volatile long tokens;
        volatile boolean failed;

        Timing(long submitted, CountDownLatch done) {
            this.submitted = submitted;
            this.done = done;
        }

        @Override
        public void started(ServedFrom servedFrom) {
        }

        @Override
        public void token(GeneratedToken token) {
            if (firstToken == 0) {
                firstToken = System.nanoTime();
            }
            if (token.id() >= 0) {
                tokens++;
            }
        }

        @Override
        public void finished(FinishReason reason) {
            ended = System.nanoTime();
            done.countDown();
        }

        @Override
        public void failed(Throwable error) {
            failed = true;
            ended = System.nanoTime();
            done.countDown();
        }
    }

    static String describe(double[] values) {
        return Arrays.toString(values);
    }
}
