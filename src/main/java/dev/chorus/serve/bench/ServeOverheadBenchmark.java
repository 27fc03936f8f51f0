package dev.chorus.serve.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ChatMessage;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;
import dev.chorus.serve.app.ChorusApp;
import dev.chorus.serve.config.ByteSize;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ExpertConfig;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.MemorySettings;
import dev.chorus.serve.config.ServerSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Server overhead as a client sees it: the same fixed-length greedy answer (ignore_eos, so every run has exactly
 * {@code tokens} tokens) timed end to end through HTTP with routing and the chat template, and as a direct call of
 * the expert's generation on the already-tokenized prompt, in the same process, interleaved run by run.
 */
public final class ServeOverheadBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "Summarize the plot of Hamlet in one short paragraph.";

    private ServeOverheadBenchmark() {
    }

    /**
     * Wall-clock medians (what a client waits) and process CPU-time medians (the work done, all threads, the
     * in-process HTTP client included); CPU time is far less disturbed by other processes on a busy machine.
     */
    public record Result(String model, int tokens, int runs, double httpMedianMs, double directMedianMs,
                         double overheadMs, double overheadFraction, double routerMedianMs, double httpP90Ms,
                         double directP90Ms, double httpCpuMeanMs, double directCpuMeanMs,
                         double cpuOverheadFraction) {
    }

    public static Result run(Path model, int tokens, int runs, int threads, PrintStream log) throws Exception {
        if (!Files.isRegularFile(model)) {
            throw new IOException("model file not found: " + model);
        }
        long hot = Math.max(Files.size(model) * 2 + (512L << 20), 1L << 30);
        ChorusConfig config = new ChorusConfig(new ServerSettings("127.0.0.1", 0, threads, 1, List.of()),
                List.of(new ExpertConfig("expert", model.toAbsolutePath().toString(), null, null, null,
                        "benchmark expert", true, null, null)),
                List.of(), "expert", null, new MemorySettings(new ByteSize(hot), new ByteSize(hot)),
                new Limits(4, null, Math.max(tokens, 1), null));
        try (ChorusApp app = ChorusApp.start(config, log)) {
            ExpertBackend expert = app.server().currentServices().experts().get("expert");
            HttpClient http = HttpClient.newHttpClient();
            int warmup = Math.max(3, runs / 3);
            double[] direct = new double[runs];
            double[] viaHttp = new double[runs];
            double[] router = new double[runs];
            double[] directCpu = new double[runs];
            double[] httpCpu = new double[runs];
            for (int i = -warmup; i < runs; i++) {
                // A different prompt each run, so the router's embedding cache cannot hide its cost.
                String prompt = PROMPT + " (run " + (i + warmup) + ")";
                GenerationRequest request = new GenerationRequest(
                        new PromptInput.Chat(List.of(new ChatMessage("user", prompt))), SamplingSettings.greedy(),
                        tokens, List.of(), -1, true);
                PreparedPrompt prepared = expert.prepare(request.input());
                long cpu0 = processCpuNanos();
                double d = timeDirect(expert, prepared, request, tokens);
                long cpu1 = processCpuNanos();
                long start = System.nanoTime();
                HttpResponse<String> r = http.send(post(app.baseUrl(), prompt, tokens),
                        HttpResponse.BodyHandlers.ofString());
                double h = (System.nanoTime() - start) / 1e6;
                long cpu2 = processCpuNanos();
                if (r.statusCode() != 200) {
                    throw new IOException("the server answered " + r.statusCode() + ": " + r.body());
                }
                JsonNode answer = JSON.readTree(r.body());
                int got = answer.get("usage").get("completion_tokens").asInt();
                if (got != tokens) {
                    throw new IllegalStateException("expected " + tokens + " tokens over HTTP, got " + got);
                }
                if (i >= 0) {
                    direct[i] = d;
                    viaHttp[i] = h;
                    router[i] = answer.get("chorus").get("router_ms").asDouble();
                    directCpu[i] = (cpu1 - cpu0) / 1e6;
                    httpCpu[i] = (cpu2 - cpu1) / 1e6;
                }
            }
            double httpMedian = percentile(viaHttp, 0.5);
            double directMedian = percentile(direct, 0.5);
            return new Result(model.getFileName().toString(), tokens, runs, httpMedian, directMedian,
                    httpMedian - directMedian, (httpMedian - directMedian) / httpMedian, percentile(router, 0.5),
                    percentile(viaHttp, 0.9), percentile(direct, 0.9), mean(httpCpu), mean(directCpu),
                    (mean(httpCpu) - mean(directCpu)) / mean(httpCpu));
        }
    }

    private static HttpRequest post(String baseUrl, String prompt, int tokens) throws IOException {
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("model", "chorus")
                .put("max_tokens", tokens).put("temperature", 0).put("ignore_eos", true)
                .set("messages", JSON.createArrayNode().add(JSON.createObjectNode().put("role", "user")
                        .put("content", prompt))));
        return HttpRequest.newBuilder(URI.create(baseUrl + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static double timeDirect(ExpertBackend expert, PreparedPrompt prompt, GenerationRequest request,
                                     int tokens) {
        CountingSink sink = new CountingSink();
        long start = System.nanoTime();
        expert.generate(prompt, request, sink, new CancellationToken());
        double ms = (System.nanoTime() - start) / 1e6;
        if (sink.failure != null) {
            throw new IllegalStateException("direct generation failed", sink.failure);
        }
        if (sink.tokens.get() != tokens) {
            throw new IllegalStateException("expected " + tokens + " tokens directly, got " + sink.tokens.get());
        }
        return ms;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time is read in scheduler ticks (10 ms), so its mean over all runs is used, not a median. */
    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[index];
    }

    /** Counts tokens and keeps nothing else, as cheap as a sink can be. */
    private static final class CountingSink implements TokenSink {
        final AtomicInteger tokens = new AtomicInteger();
        volatile Throwable failure;
        final List<FinishReason> finished = new ArrayList<>(1);

        @Override
        public void started(ServedFrom servedFrom) {
        }

        @Override
        public void token(GeneratedToken token) {
            if (token.id() >= 0) {
                tokens.incrementAndGet();
            }
        }

        @Override
        public void finished(FinishReason reason) {
            finished.add(reason);
        }

        @Override
        public void failed(Throwable error) {
            failure = error;
        }
    }
}
