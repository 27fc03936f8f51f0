package dev.chorus.serve.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ExpertConfig;
import dev.chorus.serve.config.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The no-config demo: experts made once by the engine's synth, routed by the shipped router, with visible tiers. */
class DemoExpertsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void demoExpertsAreMadeOnceAndServeRoutedStreamingRequestsAcrossTiers() throws Exception {
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        ChorusConfig config = DemoExperts.config(dir, 1, quiet);
        assertThat(config.experts()).extracting(ExpertConfig::id)
                .containsExactly("demo-code", "demo-math", "demo-writer", "demo-general");
        assertThat(config.experts()).allSatisfy(e -> assertThat(e.description()).contains("DEMO").contains("noise"));
        Map<Path, Long> made = new HashMap<>();
        for (ExpertConfig e : config.experts()) {
            made.put(Path.of(e.path()), Files.getLastModifiedTime(Path.of(e.path())).toMillis());
        }
        // A second start reuses the files.
        ChorusConfig again = DemoExperts.config(dir, 1, quiet);
        for (ExpertConfig e : again.experts()) {
            assertThat(Files.getLastModifiedTime(Path.of(e.path())).toMillis()).isEqualTo(made.get(Path.of(e.path())));
        }
        config = config.withServer(new ServerSettings("127.0.0.1", 0, 1, 1, List.of()));
        try (ChorusApp app = ChorusApp.start(config, quiet)) {
            HttpClient http = HttpClient.newHttpClient();
            String[][] cases = {
                    {"Write a Python function that sorts a list of numbers.", "demo-code"},
                    {"What is 17 times 23?", "demo-math"},
                    {"Write a short poem about the sea.", "demo-writer"},
            };
            for (String[] c : cases) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                                + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"chorus\",\"stream\":true,\"max_tokens\":8,\"messages\":[{\"role\":\"user\","
                                        + "\"content\":\"" + c[0] + "\"}]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("X-Chorus-Expert")).as(c[0]).hasValue(c[1]);
                assertThat(r.body()).endsWith("data: [DONE]\n\n");
            }
            JsonNode experts = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(app.baseUrl()
                    + "/v1/experts")).build(), HttpResponse.BodyHandlers.ofString()).body()).get("data");
            // The hot budget holds two demo experts: after three different ones, one was moved down to warm.
            long hot = 0;
            long warm = 0;
            for (JsonNode e : experts) {
                hot += e.get("tier").asText().equals("hot") ? 1 : 0;
                warm += e.get("tier").asText().equals("warm") ? 1 : 0;
            }
            assertThat(hot).isEqualTo(2);
            assertThat(warm).isGreaterThanOrEqualTo(1);
        }
    }
}
