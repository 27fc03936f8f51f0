package dev.chorus.serve.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.Tier;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.RequestScheduler;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.SchedulerSettings;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.http.ChorusServer;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import dev.chorus.serve.local.StoreTiers;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Soak on loopback: 16 concurrent clients send chat completions (plain, streaming, and streaming dropped after the
 * first chunk) to a server whose four real tiny experts share a hot budget of two under the switch-aware batching
 * scheduler. Ends with no server errors, every lease returned and the tier budgets back to empty once the experts are
 * demoted, and /metrics counting exactly what the clients saw. {@code -Dchorus.soak.requests=N} to change the 2,000 requests.
 */
class SoakTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] FILES = {"models/experts/expert-code.Q8_0.gguf", "models/experts/expert-math.Q8_0.gguf",
            "models/experts/expert-knowledge.Q8_0.gguf", "models/stories260K.gguf"};
    private static final int CLIENTS = 16;

    @Test
    void manyClientsStreamingPlainAndCancelled() throws Exception {
        int total = Integer.getInteger("chorus.soak.requests", 2000);
        ModelRuntime.Factory factory = new ModelRuntime.Factory(1, 8);
        long largest = 0;
        List<Path> files = new ArrayList<>();
        for (String f : FILES) {
            Path p = SharedData.require(f);
            files.add(p);
            try (var g = dev.chorus.gguf.GgufFile.open(p)) {
                largest = Math.max(largest, g.fileSize() + factory.stateBytes(g));
            }
        }
        Map<String, ExpertBackend> experts = new LinkedHashMap<>();
        ServerMetrics metrics = new ServerMetrics();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        AtomicInteger bad = new AtomicInteger();
        AtomicLong completionTokens = new AtomicLong();
        AtomicInteger staleConnections = new AtomicInteger();
        try (ExpertStore<ModelRuntime> store = ExpertStore.builder(factory).hotMemory(2 * largest + 4096)
                .warmMemory(4 * largest).build()) {
            for (int i = 0; i < files.size(); i++) {
                store.register("e" + i, files.get(i));
                experts.put("e" + i, LocalExpert.open("e" + i, "", files.get(i), store));
            }
            RequestScheduler scheduler = Schedulers.create(new SchedulerSettings("switch-aware", 200, 8, 0), 1, 256,
                    store, experts, 2, 2);
            ChorusServices services = new ChorusServices(experts, (messages, conversation) -> {
                int k = Math.floorMod(messages.getLast().content().hashCode(), 4);
                return new RoutingDecision("c" + k, 1.0, "e" + k, false, false, 0);
            }, null, new StoreTiers(store, Set.of()), scheduler, 4096, List.of());
            try (ChorusServer server = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of()),
                    Limits.defaults(), metrics).start()) {
                server.ready(services);
                HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                AtomicInteger next = new AtomicInteger();
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    clients.add(pool.submit(() -> {
                        for (int i; (i = next.getAndIncrement()) < total; ) {
                            int kind = i % 3;
                            String body = "{\"model\":\"chorus\",\"max_tokens\":" + (4 + i % 21)
                                    + ",\"ignore_eos\":true,\"temperature\":0,\"stream\":" + (kind > 0)
                                    + (kind > 0 ? ",\"stream_options\":{\"include_usage\":true}" : "")
                                    + ",\"messages\":[{\"role\":\"user\",\"content\":\"request " + i + "\"}]}";
                            HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl()
                                            + "/v1/chat/completions")).timeout(Duration.ofSeconds(120))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                            HttpResponse<InputStream> r = send(http, request, staleConnections);
                            if (r.statusCode() != 200) {
                                bad.incrementAndGet();
                                r.body().close();
                                continue;
                            }
                            if (kind == 0) {
                                JsonNode json = JSON.readTree(r.body());
                                completionTokens.addAndGet(json.get("usage").get("completion_tokens").asLong());
                                ok.incrementAndGet();
                            } else if (kind == 1) {
                                long usage = readStream(r.body(), false);
                                if (usage < 0) {
                                    bad.incrementAndGet();
                                } else {
                                    completionTokens.addAndGet(usage);
                                    ok.incrementAndGet();
                                }
                            } else {
                                readStream(r.body(), true);   // leaves after the first chunk
                                cancelled.incrementAndGet();
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : clients) {
                    f.get();
                }
                pool.shutdown();
                // Dropped streams are noticed at the server's next write; wait for the lane to go idle.
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (scheduler.running() > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(300);
                String prometheus = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(bad.get()).isZero();
                // A resent request (see send) must not have been counted twice by the server: the sums below hold.
                assertThat(staleConnections.get()).as("requests resent after a pooled connection closed").isLessThan(5);
                assertThat(ok.get() + cancelled.get()).isEqualTo(total);
                assertThat(prometheus).doesNotContain("chorus_http_errors_total{");
                // A resend's first attempt may have reached the server and broken while its body was read.
                assertThat(sum(prometheus, "chorus_http_aborted_total{", "endpoint=\"chat\""))
                        .isLessThanOrEqualTo(staleConnections.get());
                long okCounted = sum(prometheus, "chorus_requests_seconds_count{", "outcome=\"ok\"");
                long cancelledCounted = sum(prometheus, "chorus_requests_seconds_count{", "outcome=\"cancelled\"")
                        + sum(prometheus, "chorus_requests_seconds_count{", "outcome=\"disconnected\"");
                assertThat(sum(prometheus, "chorus_requests_seconds_count{", "outcome=\"error\"")).isZero();
                // A dropped stream may still have finished before the server noticed: then it counts as ok.
                assertThat(okCounted + cancelledCounted).isEqualTo(total);
                assertThat(okCounted).isBetween((long) ok.get(), (long) total);
                assertThat(sum(prometheus, "chorus_tokens_total{", "kind=\"completion\""))
                        .isGreaterThanOrEqualTo(completionTokens.get());
                assertThat(store.snapshot().experts()).allSatisfy(e -> assertThat(e.leases()).isZero());
            }
            for (String id : experts.keySet()) {
                assertThat(store.demote(id, Tier.COLD)).isTrue();
            }
            assertThat(store.snapshot().hot().used()).isZero();
            assertThat(store.snapshot().warm().used()).isZero();
            assertThat(store.snapshot().hot().highWater()).isLessThanOrEqualTo(store.snapshot().hot().capacity());
        }
    }

    /**
     * Sends a request; when the client's pooled keep-alive connection turns out to be closed before any response byte
     * arrived (the JDK client does not resend a POST itself, as OkHttp, the OpenAI SDK's client, does), sends it once
     * more on a new connection. Had the server run the first attempt, its request counts would exceed the clients'
     * and the assertions on /metrics would fail.
     */
    private static HttpResponse<InputStream> send(HttpClient http, HttpRequest request, AtomicInteger stale)
            throws Exception {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.io.IOException e) {
            if (!String.valueOf(e.getMessage()).contains("received no bytes")) {
                throw e;
            }
            stale.incrementAndGet();
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        }
    }

    /** Reads SSE until [DONE] (returns the usage's completion tokens, or -1 without [DONE]) or the first chunk. */
    private static long readStream(InputStream in, boolean leaveEarly) throws Exception {
        try (in; BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            long usage = 0;
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data: ")) {
                    continue;
                }
                String data = line.substring(6);
                if (data.equals("[DONE]")) {
                    return usage;
                }
                if (leaveEarly) {
                    return 0;
                }
                JsonNode chunk = JSON.readTree(data);
                if (chunk.hasNonNull("usage")) {
                    usage = chunk.get("usage").get("completion_tokens").asLong();
                }
            }
            return -1;
        }
    }

    private static long sum(String prometheus, String prefix, String label) {
        long total = 0;
        for (String line : prometheus.split("\n")) {
            if (line.startsWith(prefix) && line.contains(label)) {
                total += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total;
    }
}
