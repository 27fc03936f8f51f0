package dev.chorus.chat;

import dev.chorus.SharedData;
import dev.chorus.chat.ToolCallSyntax.ToolCall;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ToolCallSyntaxTest {
    @Test
    void theSyntaxIsRecognisedFromRealChatTemplates() throws Exception {
        Map<String, ToolCallSyntax> expected = Map.of(
                "qwen2.5", ToolCallSyntax.HERMES, "qwen3", ToolCallSyntax.HERMES,
                "llama3.1", ToolCallSyntax.LLAMA3_JSON, "mistral-nemo", ToolCallSyntax.MISTRAL,
                "llama3", ToolCallSyntax.NONE, "chatml", ToolCallSyntax.NONE, "gemma3", ToolCallSyntax.NONE,
                "phi3.5", ToolCallSyntax.NONE);
        for (var e : expected.entrySet()) {
            String source = Files.readString(SharedData.require("reference/chat_templates/" + e.getKey() + ".jinja"));
            assertThat(ToolCallSyntax.of(source)).as(e.getKey()).isEqualTo(e.getValue());
        }
        assertThat(ToolCallSyntax.of(null)).isEqualTo(ToolCallSyntax.NONE);
    }

    @Test
    void hermesBlocksBecomeCallsAndTheTextAroundThemStays() {
        var reply = ToolCallSyntax.HERMES.parse("Let me check.\n<tool_call>\n{\"name\": \"get_weather\", "
                + "\"arguments\": {\"city\": \"Paris\", \"days\": 2}}\n</tool_call>\n<tool_call>\n{\"name\": \"now\", "
                + "\"arguments\": {}}\n</tool_call>");
        assertThat(reply.content()).isEqualTo("Let me check.");
        assertThat(reply.calls()).containsExactly(new ToolCall("get_weather", "{\"city\":\"Paris\",\"days\":2}"),
                new ToolCall("now", "{}"));
        // Only calls: no content. An unterminated last block still counts when its JSON is whole.
        var bare = ToolCallSyntax.HERMES.parse("<tool_call>{\"name\": \"f\", \"arguments\": \"{\\\"x\\\": 1}\"}");
        assertThat(bare.content()).isNull();
        assertThat(bare.calls()).containsExactly(new ToolCall("f", "{\"x\": 1}"));
    }

    @Test
    void markupThatHoldsNoValidCallStaysText() {
        for (String text : List.of("plain answer", "<tool_call>{\"name\": \"f\", \"arguments\": {\"x\": 1",
                "<tool_call>{\"arguments\": {}}</tool_call>", "<tool_call>not json</tool_call> after",
                "<tool_call>{\"name\": \"f\", \"arguments\": [1]}</tool_call>")) {
            var reply = ToolCallSyntax.HERMES.parse(text);
            assertThat(reply.calls()).as(text).isEmpty();
            assertThat(reply.content()).as(text).isEqualTo(text);
        }
        assertThat(ToolCallSyntax.NONE.parse("<tool_call>{\"name\": \"f\"}</tool_call>").calls()).isEmpty();
    }

    @Test
    void llamaJsonAndMistralCalls() {
        var llama = ToolCallSyntax.LLAMA3_JSON.parse(" {\"name\": \"search\", \"parameters\": {\"q\": \"java\"}}");
        assertThat(llama.content()).isNull();
        assertThat(llama.calls()).containsExactly(new ToolCall("search", "{\"q\":\"java\"}"));
        var two = ToolCallSyntax.LLAMA3_JSON.parse("<|python_tag|>{\"name\": \"a\", \"parameters\": {}}; "
                + "{\"name\": \"b\", \"parameters\": {\"n\": 1}}");
        assertThat(two.calls()).extracting(ToolCall::name).containsExactly("a", "b");
        assertThat(ToolCallSyntax.LLAMA3_JSON.parse("The answer is {x}.").calls()).isEmpty();
        assertThat(ToolCallSyntax.LLAMA3_JSON.parse("{\"not\": \"a call\"}").content()).isEqualTo("{\"not\": \"a call\"}");

        var mistral = ToolCallSyntax.MISTRAL.parse("[TOOL_CALLS][{\"name\": \"add\", \"arguments\": {\"a\": 1, "
                + "\"b\": 2}}]");
        assertThat(mistral.calls()).containsExactly(new ToolCall("add", "{\"a\":1,\"b\":2}"));
        // [TOOL_CALLS] is a control token that detokenizers usually drop: the bare array counts as well.
        assertThat(ToolCallSyntax.MISTRAL.parse("[{\"name\": \"add\", \"arguments\": {}}]").calls()).hasSize(1);
        assertThat(ToolCallSyntax.MISTRAL.parse("[1, 2, 3]").calls()).isEmpty();
    }

    @Test
    void markupStartTellsAStreamWhatToHoldBack() {
        assertThat(ToolCallSyntax.HERMES.markupStart("Sure. <tool_call>{\"na")).isEqualTo(6);
        assertThat(ToolCallSyntax.HERMES.markupStart("Sure. <tool_")).isEqualTo(6);   // may become the marker
        assertThat(ToolCallSyntax.HERMES.markupStart("a < b")).isEqualTo(-1);
        assertThat(ToolCallSyntax.HERMES.markupStart("a <")).isEqualTo(2);
        assertThat(ToolCallSyntax.LLAMA3_JSON.markupStart("  {\"name\"")).isEqualTo(2);
        assertThat(ToolCallSyntax.LLAMA3_JSON.markupStart("")).isEqualTo(0);
        assertThat(ToolCallSyntax.LLAMA3_JSON.markupStart("Hello {")).isEqualTo(-1);
        assertThat(ToolCallSyntax.MISTRAL.markupStart("ok [TOOL_CALLS][")).isEqualTo(3);
        assertThat(ToolCallSyntax.MISTRAL.markupStart("[{\"name\"")).isEqualTo(0);
        assertThat(ToolCallSyntax.NONE.markupStart("<tool_call>")).isEqualTo(-1);
    }
}
