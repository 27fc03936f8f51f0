package dev.chorus.chat.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.ChorusException;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chat client against a stub OpenAI-compatible server on a free loopback port. */
class ChatSessionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<JsonNode> requests = new ArrayList<>();
    private Javalin server;
    private URI url;

    @BeforeEach
    void startStub() {
        server = Javalin.create().post("/v1/chat/completions", ctx -> {
            if (!"Bearer sesame".equals(ctx.header("Authorization"))) {
                ctx.status(401).contentType("application/json")
                        .result("{\"error\":{\"message\":\"invalid API key\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            JsonNode body = JSON.readTree(ctx.body());
            requests.add(body);
            int turn = requests.size();
            ctx.header("X-Chorus-Expert", "coder");
            ctx.header("X-Chorus-Category", "code");
            ctx.header("X-Chorus-Confidence", "0.91");
            ctx.contentType("text/event-stream");
            StringBuilder sse = new StringBuilder(": keep-alive\n\n");
            for (String piece : List.of("Answer ", "number ", String.valueOf(turn))) {
                sse.append("data: {\"model\":\"coder\",\"choices\":[{\"index\":0,\"delta\":{\"content\":")
                        .append(JSON.writeValueAsString(piece)).append("},\"finish_reason\":null}]}\n\n");
            }
            sse.append("data: {\"model\":\"coder\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
            sse.append("data: [DONE]\n\n");
            ctx.result(sse.toString());
        }).start("127.0.0.1", 0);
        url = URI.create("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stopStub() {
        server.stop();
    }

    @Test
    void streamsAnswersKeepsTheConversationAndShowsRouting() throws Exception {
        StringWriter out = new StringWriter();
        String input = "/system Be brief.\nHello\nAnd again?\n/exit\n";
        new ChatSession(new ChatClient(url, "chorus", "sesame"), new BufferedReader(new StringReader(input)),
                new PrintWriter(out), false).run();

        assertThat(out.toString()).contains("Answer number 1\n[expert=coder category=code confidence=0.91 finish=stop]")
                .contains("Answer number 2\n");
        assertThat(requests).hasSize(2);
        JsonNode second = requests.get(1);
        assertThat(second.get("model").asText()).isEqualTo("chorus");
        assertThat(second.get("stream").asBoolean()).isTrue();
        assertThat(second.get("messages").toString()).isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"Hello\"},{\"role\":\"assistant\",\"content\":\"Answer number 1\"},"
                + "{\"role\":\"user\",\"content\":\"And again?\"}]");
    }

    @Test
    void serverErrorsAreShownAndTheUnansweredTurnIsDropped() throws Exception {
        StringWriter out = new StringWriter();
        ChatSession session = new ChatSession(new ChatClient(url, "chorus", "wrong"),
                new BufferedReader(new StringReader("Hello\n")), new PrintWriter(out), false);
        session.run();
        assertThat(out.toString()).contains("server answered 401: invalid API key");
        assertThat(session.conversation()).isEmpty();
    }

    @Test
    void unreachableServerIsAClearError() {
        int port = server.port();
        server.stop();
        ChatClient client = new ChatClient(URI.create("http://127.0.0.1:" + port), "chorus", null);
        assertThatThrownBy(() -> client.stream(List.of(Map.of("role", "user", "content", "hi")), d -> { }))
                .isInstanceOf(ChorusException.class).hasMessageContaining("cannot reach");
    }
}
