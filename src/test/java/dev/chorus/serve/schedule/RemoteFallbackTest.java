package dev.chorus.serve.schedule;

import dev.chorus.SharedData;
import dev.chorus.memory.ExpertStore;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ChatMessage;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.http.ChorusServer;
import dev.chorus.serve.local.StoreTiers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.serve.config.SchedulerSettings;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import dev.chorus.serve.remote.RemoteExpert;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Set;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote experts through the batching scheduler, against a stub OpenAI server on loopback (Javalin) that fails its
 * first calls on demand: retries with backoff, fallback to a local expert when every attempt fails, and health.
 */
class RemoteFallbackTest {
    private Javalin stub;
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int failFirst;
    /** 0: answer at once; 1: stall before the first chunk; 2: stall after the first chunk. */
    private volatile int stall;
    private ExpertStore<ModelRuntime> store;
    private final Map<String, ExpertBackend> experts = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        stub = Javalin.create(c -> c.showJavalinBanner = false).post("/v1/chat/completions", ctx -> {
            if (calls.incrementAndGet() <= failFirst) {
                ctx.status(503).result("{\"error\":{\"message\":\"overloaded\"}}");
                return;
            }
            if (stall > 0) {
                ctx.contentType("text/event-stream");
                var out = ctx.res().getOutputStream();
                out.write(": accepted\n\n".getBytes());   // headers and a comment, no chunk yet
                out.flush();
                if (stall == 2) {
                    out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"}}]}\n\n".getBytes());
                    out.flush();
                }
                Thread.sleep(5000);
                return;
            }
            StringBuilder sse = new StringBuilder();
            for (String piece : List.of("Hello", " from", " far")) {
                sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(piece)
                        .append("\"},\"finish_reason\":null}]}\n\n");
            }
            sse.append("data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
            ctx.contentType("text/event-stream").result(sse.toString());
        }).start("127.0.0.1", 0);
        Path file = SharedData.require("models/stories260K.gguf");
        store = ExpertStore.builder(new ModelRuntime.Factory(1, 4)).hotMemory(1L << 30).warmMemory(1L << 30).build();
        store.register("local", file);
        experts.put("local", LocalExpert.open("local", "", file, store));
    }

    @AfterEach
    void stop() {
        if (stub != null) {
            stub.stop();
        }
        if (store != null) { // null when ../shared is absent and the set-up skipped the test
            store.close();
        }
    }

    private BatchingScheduler scheduler(String remoteUrl, int retries, String fallback) {
        experts.put("far", new RemoteExpert("far", "", remoteUrl, "m", null, Duration.ofSeconds(2),
                Duration.ofMillis(400)));
        BatchingScheduler s = (BatchingScheduler) Schedulers.create(new SchedulerSettings("switch-aware", 100, 4,
                retries), 1, 8, store, experts, 1, 1);
        s.configureRemote(retries, Duration.ofMillis(10), new RemoteHealth(),
                job -> fallback == null ? null : experts.get(fallback));
        return s;
    }

    private RecordingSink ask(BatchingScheduler s) throws Exception {
        ExpertBackend far = experts.get("far");
        GenerationRequest r = new GenerationRequest(new PromptInput.Chat(List.of(new ChatMessage("user", "hi"))),
                SamplingSettings.greedy(), 6, List.of(), -1, true);
        RecordingSink sink = new RecordingSink();
        s.submit(new GenerationJob(far, far.prepare(r.input()), r, sink, new CancellationToken(), System.nanoTime()));
        assertThat(sink.await(60)).isTrue();
        return sink;
    }

    private String url() {
        return "http://127.0.0.1:" + stub.port() + "/v1";
    }

    @Test
    void failedCallsAreRetriedWithBackoff() throws Exception {
        failFirst = 2;
        try (BatchingScheduler s = scheduler(url(), 2, "local")) {
            RecordingSink sink = ask(s);
            assertThat(sink.error).isNull();
            assertThat(sink.text.toString()).isEqualTo("Hello from far");
            assertThat(sink.servedFrom.tier()).isEqualTo("remote");
            assertThat(calls.get()).isEqualTo(3);
            Map<String, Object> health = s.remoteHealth().stats("far");
            assertThat(health).containsEntry("healthy", true).containsEntry("failures", 2L)
                    .containsEntry("successes", 1L);
        }
    }

    @Test
    void whenEveryAttemptFailsTheRequestFallsBackToTheNextExpert() throws Exception {
        failFirst = Integer.MAX_VALUE;
        try (BatchingScheduler s = scheduler(url(), 1, "local")) {
            RecordingSink sink = ask(s);
            assertThat(sink.error).isNull();
            assertThat(sink.finish).isEqualTo(FinishReason.LENGTH);
            assertThat(sink.ids).hasSize(6);   // the local expert answered
            assertThat(sink.servedFrom.tier()).isNotEqualTo("remote");
            assertThat(calls.get()).isEqualTo(2);
            assertThat(s.remoteHealth().healthy("far")).isFalse();
            assertThat(s.remoteHealth().stats("far").get("last_error").toString()).contains("503");
        }
    }

    @Test
    void unreachableEndpointFallsBackAndWithoutFallbackFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + closedPort + "/v1";
        try (BatchingScheduler s = scheduler(dead, 1, "local")) {
            RecordingSink sink = ask(s);
            assertThat(sink.error).isNull();
            assertThat(sink.ids).hasSize(6);
        }
        try (BatchingScheduler s = scheduler(dead, 1, null)) {
            RecordingSink sink = ask(s);
            assertThat(sink.error).hasMessageContaining("unreachable");
            assertThat(sink.servedFrom).isNull();
        }
    }

    @Test
    void aRemoteThatStallsMidAnswerIsCutOffAfterItsReadTimeout() throws Exception {
        stall = 2;
        try (BatchingScheduler s = scheduler(url(), 2, "local")) {
            long start = System.nanoTime();
            RecordingSink sink = ask(s);
            double seconds = (System.nanoTime() - start) / 1e9;
            // Text already reached the client: no retry, no fallback, a clear error well before the stub's 5 s.
            assertThat(sink.text.toString()).isEqualTo("Hel");
            assertThat(sink.error).hasMessageContaining("sent nothing for 400 ms mid-answer (read_timeout)");
            assertThat(calls.get()).isEqualTo(1);
            assertThat(seconds).isLessThan(4.5);
            assertThat(s.remoteHealth().healthy("far")).isFalse();
        }
    }

    @Test
    void aRemoteThatStallsBeforeItsFirstChunkIsRetriedThenFallsBack() throws Exception {
        stall = 1;
        try (BatchingScheduler s = scheduler(url(), 1, "local")) {
            RecordingSink sink = ask(s);
            assertThat(sink.error).isNull();
            assertThat(sink.ids).hasSize(6);   // the local expert answered
            assertThat(calls.get()).isEqualTo(2);
            assertThat(sink.servedFrom.failover()).isEqualTo(new ServedFrom.Failover("local", List.of("far")));
            assertThat(s.remoteHealth().stats("far").get("last_error").toString())
                    .contains("before its first chunk (read_timeout)");
        }
    }

    @Test
    void failoverFollowsTheCategorysRankingPastDownExperts() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String dead = "http://127.0.0.1:" + closedPort + "/v1";
        experts.put("far", new RemoteExpert("far", "", dead, "m", null, Duration.ofSeconds(2), Duration.ofSeconds(2)));
        experts.put("also-dead", new RemoteExpert("also-dead", "", dead, "m", null, Duration.ofSeconds(2),
                Duration.ofSeconds(2)));
        experts.put("alive", new RemoteExpert("alive", "", url(), "m", null, Duration.ofSeconds(2),
                Duration.ofSeconds(2)));
        RemoteHealth health = new RemoteHealth();
        NextBestExpert next = new NextBestExpert(Map.of("code", List.of("far", "also-dead", "alive")), "local",
                experts, health::healthy);
        try (BatchingScheduler s = (BatchingScheduler) Schedulers.create(new SchedulerSettings("switch-aware", 100, 4,
                0), 1, 8, store, experts, 1, 1)) {
            s.configureRemote(0, Duration.ofMillis(1), health, next);
            ExpertBackend far = experts.get("far");
            GenerationRequest r = new GenerationRequest(new PromptInput.Chat(List.of(new ChatMessage("user", "hi"))),
                    SamplingSettings.greedy(), 6, List.of(), -1, true);
            RecordingSink sink = new RecordingSink();
            s.submit(new GenerationJob(far, far.prepare(r.input()), r, sink, new CancellationToken(),
                    System.nanoTime(), "code", List.of()));
            assertThat(sink.await(60)).isTrue();
            assertThat(sink.error).isNull();
            assertThat(sink.text.toString()).isEqualTo("Hello from far");
            assertThat(sink.servedFrom.failover()).isEqualTo(new ServedFrom.Failover("alive",
                    List.of("far", "also-dead")));

            // A pinned request (no category) goes to the global fallback; a down expert is skipped while others
            // are left.
            RecordingSink pinned = new RecordingSink();
            s.submit(new GenerationJob(far, far.prepare(r.input()), r, pinned, new CancellationToken(),
                    System.nanoTime()));
            assertThat(pinned.await(60)).isTrue();
            assertThat(pinned.servedFrom.failover().expert()).isEqualTo("local");
        }
        GenerationJob job = new GenerationJob(experts.get("alive"), null, null, new RecordingSink(), null, 0, "code",
                List.of());
        assertThat(next.apply(job).id()).as("far and also-dead are down: the fallback comes first").isEqualTo("local");
    }

    @Test
    void theAnswerNamesTheExpertThatAnsweredAfterAFailover() throws Exception {
        failFirst = Integer.MAX_VALUE;
        try (BatchingScheduler s = scheduler(url(), 0, "local")) {
            s.configureRemote(0, Duration.ofMillis(1), new RemoteHealth(),
                    new NextBestExpert(Map.of(), "local", experts, id -> true));
            ChorusServices services = new ChorusServices(experts,
                    (messages, conversation) -> new RoutingDecision("code", 0.9, "far", false, false, 0), null,
                    new StoreTiers(store, Set.of("far")), s, 4096, List.of());
            try (ChorusServer server = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of()),
                    Limits.defaults(), new ServerMetrics()).start()) {
                server.ready(services);
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers
                        .ofString("{\"model\":\"chorus\",\"max_tokens\":3,\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"hi\"}]}")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                JsonNode body = new ObjectMapper().readTree(r.body());
                assertThat(body.get("model").asText()).isEqualTo("local");
                assertThat(body.get("chorus").get("expert").asText()).isEqualTo("local");
                assertThat(body.get("chorus").get("failed_over_from").get(0).asText()).isEqualTo("far");
                assertThat(r.headers().firstValue("X-Chorus-Expert")).hasValue("local");
                assertThat(r.headers().firstValue("X-Chorus-Failed-Over-From")).hasValue("far");
                assertThat(r.headers().firstValue("X-Chorus-Category")).hasValue("code");
                String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(server.baseUrl() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).as("the tokens count under the expert that produced them")
                        .containsPattern("chorus_generated_tokens_total\\{expert=\"local\"[^}]*} 3\\.0")
                        .doesNotContainPattern("chorus_generated_tokens_total\\{expert=\"far\"[^}]*} [1-9]");
            }
        }
    }
}
