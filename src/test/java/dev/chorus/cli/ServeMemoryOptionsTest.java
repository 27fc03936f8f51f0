package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import dev.chorus.serve.PrometheusText;
import dev.chorus.serve.app.ChorusApp;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.MemorySettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code chorus serve --hot-memory/--warm-memory/--eviction/--keep-alive} replace the config's memory block. */
class ServeMemoryOptionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private Path config() throws Exception {
        Path stories = SharedData.require("models/stories260K.gguf");
        Path yaml = dir.resolve("chorus.yaml");
        Files.writeString(yaml, """
                server: {port: 0, threads: 1, parallel: 1}
                experts:
                  - {id: stories, path: %s}
                categories:
                  - {name: writing, expert: stories}
                fallback: stories
                memory: {hot_memory: 8m, warm_memory: 16m, eviction: lru}
                """.formatted(stories));
        return yaml;
    }

    private static ChorusConfig resolve(String... args) throws Exception {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return serve.resolveConfig();
    }

    @Test
    void givenOptionsReplaceTheConfigAndOthersKeepIt() throws Exception {
        String yaml = config().toString();
        MemorySettings kept = resolve("--config", yaml).memoryOrDefault();
        assertThat(kept.hotOrDefault().bytes()).isEqualTo(8L << 20);
        assertThat(kept.policy().name()).isEqualTo("lru");
        assertThat(kept.keepAliveDuration()).isNull();

        MemorySettings given = resolve("--config", yaml, "--hot-memory", "6m", "--eviction", "cost-aware",
                "--keep-alive", "1.5s").memoryOrDefault();
        assertThat(given.hotOrDefault().bytes()).isEqualTo(6L << 20);
        assertThat(given.warmOrDefault().bytes()).isEqualTo(16L << 20);
        assertThat(given.policy().name()).isEqualTo("cost-aware");
        assertThat(given.keepAliveDuration()).isEqualTo(Duration.ofMillis(1500));

        assertThatThrownBy(() -> resolve("--config", yaml, "--eviction", "fifo"))
                .hasMessageContaining("--eviction").hasMessageContaining("fifo");
    }

    @Test
    void theOptionsReachTheExpertStore() throws Exception {
        ChorusConfig cfg = resolve("--config", config().toString(), "--hot-memory", "6m", "--warm-memory", "20m",
                "--keep-alive", "300ms");
        try (ChorusApp app = ChorusApp.start(cfg, new PrintStream(OutputStream.nullOutputStream()))) {
            Map<String, Double> metrics = PrometheusText.parse(get(app, "/metrics"));
            assertThat(PrometheusText.sum(metrics, "chorus_memory_capacity_bytes", "tier=\"hot\""))
                    .isEqualTo(6.0 * (1 << 20));
            assertThat(PrometheusText.sum(metrics, "chorus_memory_capacity_bytes", "tier=\"warm\""))
                    .isEqualTo(20.0 * (1 << 20));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/completions"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"stories\",\"prompt\":\"Once\",\"max_tokens\":2}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            // The keep-alive sends the idle expert back to warm.
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            String tier;
            do {
                Thread.sleep(100);
                tier = JSON.readTree(get(app, "/v1/experts")).at("/data/0/tier").asText();
            } while (!"warm".equals(tier) && System.nanoTime() < deadline);
            assertThat(tier).isEqualTo("warm");
        }
    }

    private String get(ChorusApp app, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
