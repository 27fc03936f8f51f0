package dev.chorus.chat;

import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ThinkingSyntaxTest {
    private static ChatTemplate template(String name) throws Exception {
        return ChatTemplate.compile(Files.readString(SharedData.require("reference/chat_templates/" + name + ".jinja")));
    }

    @Test
    void realTemplatesTeachItAndTheirPromptsOpenTheBlockOrNot() throws Exception {
        assertThat(ThinkingSyntax.taughtBy(template("qwen3").source())).isTrue();
        assertThat(ThinkingSyntax.taughtBy(template("deepseek-r1-distill-qwen").source())).isTrue();
        for (String none : List.of("qwen2.5", "llama3.1", "mistral-nemo", "gemma3")) {
            assertThat(ThinkingSyntax.taughtBy(template(none).source())).as(none).isFalse();
        }
        List<ChatMessage> hi = List.of(ChatMessage.fromMap(Map.of("role", "user", "content", "hi")));
        // DeepSeek-R1's generation prompt ends inside the block; Qwen3 lets the model open it, or closes an empty
        // block itself when thinking is off.
        assertThat(ThinkingSyntax.promptOpensBlock(template("deepseek-r1-distill-qwen").render(hi, true, Map.of())))
                .isTrue();
        assertThat(ThinkingSyntax.promptOpensBlock(template("qwen3").render(hi, true, Map.of()))).isFalse();
        assertThat(ThinkingSyntax.promptOpensBlock(template("qwen3").render(hi, true,
                Map.of("enable_thinking", false)))).isFalse();
    }

    @Test
    void splitsReasoningFromTheAnswer() {
        assertThat(ThinkingSyntax.split("<think>\nTwo plus two.\n</think>\n\nIt is 4.", false))
                .isEqualTo(new ThinkingSyntax.Split("Two plus two.", "It is 4."));
        assertThat(ThinkingSyntax.split("Two plus two.\n</think>\n\nIt is 4.", true))
                .isEqualTo(new ThinkingSyntax.Split("Two plus two.", "It is 4."));
        assertThat(ThinkingSyntax.split("It is 4.", false)).isEqualTo(new ThinkingSyntax.Split(null, "It is 4."));
        assertThat(ThinkingSyntax.split("<think>\nstill going", false))
                .as("cut by max_tokens: all reasoning").isEqualTo(new ThinkingSyntax.Split("still going", ""));
        assertThat(ThinkingSyntax.split("Use <think> tags like this", false).reasoning()).isNull();
    }
}
