package dev.chorus.serve.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ConfigLoader;
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
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example configuration in docs/CONFIG.md, as printed, is valid and starts with the shipped router. Only what
 * cannot exist on a test machine is replaced: the model files (by the small real experts in ../shared/models), the
 * port (0), and the remote expert's key variable (the remote expert stays; it is not contacted at startup).
 */
class DocumentedConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String exampleYaml() throws Exception {
        String doc = Files.readString(Path.of("docs/CONFIG.md"));
        int start = doc.indexOf("```yaml\n");
        assertThat(start).as("docs/CONFIG.md has a ```yaml block").isNotNegative();
        start += "```yaml\n".length();
        return doc.substring(start, doc.indexOf("```", start));
    }

    @Test
    void theDocumentedExampleValidatesAndStartsWithTheShippedRouter() throws Exception {
        Path experts = SharedData.require("models/experts");
        Path stories = SharedData.require("models/stories260K.gguf");
        String yaml = exampleYaml();
        List<String> localPaths = new ArrayList<>();
        yaml.lines().filter(l -> l.trim().startsWith("path: ")).forEach(l -> localPaths.add(l.trim().substring(6)));
        assertThat(localPaths).hasSize(3);
        String[] real = {stories.toString(), experts.resolve("expert-code.Q8_0.gguf").toString(),
                experts.resolve("expert-math.Q8_0.gguf").toString()};
        for (int i = 0; i < real.length; i++) {
            yaml = yaml.replace("path: " + localPaths.get(i), "path: " + real[i]);
        }
        yaml = yaml.replace("port: 8080", "port: 0");
        assertThat(yaml).contains("api_key_env: BIG_API_KEY");
        yaml = yaml.replaceAll("(?m)^\\s*api_key_env:.*$", "");
        Path file = dir.resolve("chorus.yaml");
        Files.writeString(file, yaml);

        ChorusConfig config = ConfigLoader.load(file);
        assertThat(config.experts()).hasSize(4);
        assertThat(config.memoryOrDefault().policy().name()).isEqualTo("cost-aware");
        try (ChorusApp app = ChorusApp.start(config, new PrintStream(OutputStream.nullOutputStream()))) {
            HttpResponse<String> models = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(app.baseUrl() + "/v1/models"))
                            .header("Authorization", "Bearer change-me").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).as(models.body()).isEqualTo(200);
            List<String> ids = new ArrayList<>();
            for (JsonNode m : JSON.readTree(models.body()).get("data")) {
                ids.add(m.get("id").asText());
            }
            assertThat(ids).contains("chorus", "general", "code", "math", "big");
        }
    }

    @Test
    void theRouterRejectsACategoryItDoesNotHave() throws Exception {
        Path stories = SharedData.require("models/stories260K.gguf");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, """
                server: {port: 0}
                experts:
                  - {id: general, path: %s}
                categories:
                  - {name: knowledge, expert: general}
                """.formatted(stories));
        ChorusConfig config = ConfigLoader.load(file);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ChorusApp.start(config, new PrintStream(OutputStream.nullOutputStream())))
                .hasMessageContaining("'knowledge'").hasMessageContaining("coding");
    }
}
