package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FifoScheduler;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.remote.RemoteExpert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A Chorus whose expert is another Chorus on loopback (the scale-out path), with a fake expert at the far end. */
class RemoteExpertTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeExpert far = new FakeExpert("far");
    private ChorusServer back;
    private ChorusServer front;

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
        if (back != null) {
            back.close();
        }
    }

    private void start(String remoteUrl) {
        if (back == null) {
            back = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of("backkey")), Limits.defaults(),
                    new ServerMetrics()).start();
            back.ready(FakeServices.of(1, 4, 1000, far));
        }
        RemoteExpert remote = new RemoteExpert("near", "remote", remoteUrl == null ? back.baseUrl() + "/v1"
                : remoteUrl, "far", "backkey", Duration.ofSeconds(2), Duration.ofSeconds(10));
        Map<String, ExpertBackend> experts = Map.of("near", remote);
        front = new ChorusServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of()), Limits.defaults(),
                new ServerMetrics()).start();
        front.ready(new ChorusServices(experts, (m, c) -> new RoutingDecision("any", 1.0, "near", false, false, 0),
                null, new FakeServices.Tiers(experts.keySet()), new FifoScheduler(2, 4), 1000, List.of()));
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(front.baseUrl() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void forwardsChatAndTextCompletionsWithSamplingFields() throws Exception {
        start(null);
        HttpResponse<String> r = post("/v1/chat/completions", """
                {"model":"chorus","messages":[{"role":"user","content":"hello there"}],"max_tokens":4,
                 "temperature":0.3,"seed":5,"stop":["zz"]}""");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("choices").get(0).get("message").get("content").asText()).isEqualTo("w0 w1 w2 w3");
        assertThat(body.get("choices").get(0).get("finish_reason").asText()).isEqualTo("length");
        assertThat(r.headers().firstValue("X-Chorus-Tier")).hasValue("remote");
        assertThat(far.lastRequest.sampling().temperature()).isEqualTo(0.3);
        assertThat(far.lastRequest.sampling().seed()).isEqualTo(5L);
        assertThat(far.lastRequest.stop()).containsExactly("zz");
        assertThat(far.lastPrompt.text()).isEqualTo("<user>hello there");

        HttpResponse<String> text = post("/v1/completions", "{\"model\":\"near\",\"prompt\":\"abc\",\"max_tokens\":2}");
        assertThat(JSON.readTree(text.body()).get("choices").get(0).get("text").asText()).isEqualTo("w0 w1");
        assertThat(far.lastPrompt.text()).isEqualTo("abc");
    }

    @Test
    void unreachableRemoteIsAClearServerError() throws Exception {
        start("http://127.0.0.1:1/v1");
        HttpResponse<String> r = post("/v1/chat/completions",
                "{\"model\":\"near\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(r.body()).get("error").get("message").asText()).contains("unreachable");
    }
}
