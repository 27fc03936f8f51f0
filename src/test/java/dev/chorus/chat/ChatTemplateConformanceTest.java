package dev.chorus.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every reference rendering in ../shared/reference/chat_templates (real HF templates rendered by HF's Jinja, cross-
 * checked against Python Jinja2 as transformers configures it) must come out byte for byte, and every expected
 * raise_exception must raise with the same message.
 */
class ChatTemplateConformanceTest {
    private static final String DIR = "reference/chat_templates";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The references were rendered with strftime_now fixed at 2024-07-26 00:00:00. */
    private static final Clock REFERENCE_CLOCK = Clock.fixed(Instant.parse("2024-07-26T00:00:00Z"), ZoneOffset.UTC);

    record Case(String template, JsonNode data) {
        @Override
        public String toString() {
            return template + ":" + data.get("id").asText();
        }
    }

    static Stream<Arguments> cases() throws IOException {
        Path root = SharedData.root();
        if (root == null || !Files.isDirectory(root.resolve(DIR))) {
            return Stream.of(Arguments.of(new Case("(reference data absent)", JSON.createObjectNode().put("id", ""))));
        }
        List<Arguments> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(root.resolve(DIR))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cases.json")).sorted().toList()) {
                String name = f.getFileName().toString().replace(".cases.json", "");
                for (JsonNode c : JSON.readTree(f.toFile())) {
                    all.add(Arguments.of(new Case(name, c)));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersLikeHuggingFace(Case c) throws IOException {
        Path source = SharedData.require(DIR + "/" + c.template() + ".jinja");
        ChatTemplate template = ChatTemplate.compile(Files.readString(source, StandardCharsets.UTF_8))
                .withClock(REFERENCE_CLOCK);
        JsonNode data = c.data();
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode m : data.get("messages")) {
            messages.add(ChatMessage.fromMap(toMap(m)));
        }
        Map<String, Object> extra = new LinkedHashMap<>();
        if (data.has("tools")) {
            extra.put("tools", JSON.convertValue(data.get("tools"), List.class));
        }
        if (data.has("extra")) {
            extra.putAll(toMap(data.get("extra")));
        }
        boolean gen = data.get("add_generation_prompt").asBoolean();
        String bos = data.get("bos_token").isNull() ? null : data.get("bos_token").asText();
        String eos = data.get("eos_token").isNull() ? null : data.get("eos_token").asText();
        JsonNode expected = data.get("expected");
        if (expected.isObject()) {
            assertThatThrownBy(() -> template.render(messages, gen, bos, eos, extra))
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessage(expected.get("error").asText())
                    .satisfies(e -> assertThat(((ChatTemplateException) e).raisedByTemplate()).isTrue());
        } else {
            assertThat(template.render(messages, gen, bos, eos, extra)).isEqualTo(expected.asText());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        try {
            return JSON.treeToValue(node, LinkedHashMap.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
