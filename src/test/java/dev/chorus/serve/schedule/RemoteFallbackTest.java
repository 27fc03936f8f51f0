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
import dev.chorus.serve.config.SchedulerSettings;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import dev.chorus.serve.remote.RemoteExpert;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
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
    private ExpertStore<ModelRuntime> store;
    private final Map<String, ExpertBackend> experts = new LinkedHashMap<>();

    @BeforeEach
    void start() throws Exception {
        stub = Javalin.create(c -> c.showJavalinBanner = false).post("/v1/chat/completions", ctx -> {
            if (calls.incrementAndGet() <= failFirst) {
                ctx.status(503).result("{\"error\":{\"message\":\"overloaded\"}}");
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
                Duration.ofSeconds(5)));
        BatchingScheduler s = (BatchingScheduler) Schedulers.create(new SchedulerSettings("switch-aware", 100, 4,
                retries), 1, 8, store, experts, 1, 1);
        s.configureRemote(retries, Duration.ofMillis(10), new RemoteHealth(),
                id -> fallback == null ? null : experts.get(fallback));
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
}
