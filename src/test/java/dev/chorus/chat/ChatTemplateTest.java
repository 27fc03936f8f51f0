package dev.chorus.chat;

import dev.chorus.gguf.GgufMetadata;
import dev.chorus.gguf.GgufValueType;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChatTemplateTest {
    private static final List<ChatMessage> HELLO = List.of(ChatMessage.of("user", "Hi"));

    @Test
    void compiledTemplatesAreCached() {
        String source = "{{ messages[0].content }}";
        assertThat(ChatTemplate.compile(source)).isSameAs(ChatTemplate.compile(source));
    }

    @Test
    void forModelFallsBackToChatMlAndUsesTheModelsSpecialTokens() {
        GgufMetadata meta = GgufMetadata.of(List.of(
                new GgufMetadata.Entry("tokenizer.ggml.tokens", GgufValueType.ARRAY,
                        new dev.chorus.gguf.GgufArray(GgufValueType.STRING, new String[] {"<unk>", "<s>", "</s>"})),
                new GgufMetadata.Entry("tokenizer.ggml.bos_token_id", GgufValueType.UINT32, 1),
                new GgufMetadata.Entry("tokenizer.ggml.eos_token_id", GgufValueType.UINT32, 2)));
        ChatTemplate t = ChatTemplate.forModel(meta);
        assertThat(t.source()).isEqualTo(ChatTemplate.CHATML);
        assertThat(t.defaultBos()).isEqualTo("<s>");
        assertThat(t.defaultEos()).isEqualTo("</s>");
        assertThat(t.render(HELLO, true, Map.of()))
                .isEqualTo("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void strftimeNowUsesTheRenderClock() {
        Clock clock = Clock.fixed(Instant.parse("2024-07-26T13:05:09Z"), ZoneOffset.UTC);
        String out = ChatTemplate.compile("{{ strftime_now('%d %b %Y %B %H:%M:%S %%') }}").withClock(clock)
                .render(HELLO, false, null, null, null);
        assertThat(out).isEqualTo("26 Jul 2024 July 13:05:09 %");
    }

    @Test
    void raiseExceptionCarriesTheTemplatesMessage() {
        ChatTemplate t = ChatTemplate.compile("{{ raise_exception('nope: ' + messages[0].role) }}");
        assertThatThrownBy(() -> t.render(HELLO, false, null, null, null))
                .isInstanceOf(ChatTemplateException.class).hasMessage("nope: user")
                .matches(e -> ((ChatTemplateException) e).raisedByTemplate());
    }

    @Test
    void syntaxErrorsAndUnknownFiltersAreClearErrors() {
        assertThatThrownBy(() -> ChatTemplate.compile("{% if x %}no end"))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("endif");
        assertThatThrownBy(() -> ChatTemplate.compile("{{ x|no_such_filter }}"))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("no_such_filter");
        assertThatThrownBy(() -> ChatTemplate.compile("{{ 'unterminated }}"))
                .isInstanceOf(ChatTemplateException.class).hasMessageContaining("unterminated");
    }

    @Test
    void messageContentIsNeverReinterpreted() {
        List<ChatMessage> tricky = List.of(ChatMessage.of("user", "{{ 7*7 }} {% if x %}y{% endif %} \\n"));
        assertThat(ChatTemplate.compile("{{ messages[0].content }}").render(tricky, false, null, null, null))
                .isEqualTo("{{ 7*7 }} {% if x %}y{% endif %} \\n");
    }

    @Test
    void concurrentRendersOfOneCompiledTemplateAgree() throws Exception {
        String source = "{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}"
                + "[{{ ns.n }}:{{ m.role }}:{{ m.content|trim }}]{% endfor %}{{ extra if extra is defined }}";
        ChatTemplate t = ChatTemplate.compile(source);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
            for (int task = 0; task < 8; task++) {
                int id = task;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 200; i++) {
                        List<ChatMessage> messages = List.of(ChatMessage.of("user", " u" + id + " "),
                                ChatMessage.of("assistant", "a" + i));
                        String expected = "[1:user:u" + id + "][2:assistant:a" + i + "]" + id;
                        if (!t.render(messages, false, null, null, Map.of("extra", id)).equals(expected)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (java.util.concurrent.Future<Boolean> r : results) {
                assertThat(r.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void generationBlocksRenderTheirBody() {
        String source = "{% for m in messages %}\n  {%- generation %}[{{ m.content }}]{% endgeneration %}\n{% endfor %}";
        assertThat(ChatTemplate.compile(source).render(HELLO, false, null, null, null)).isEqualTo("[Hi]");
    }

    @Test
    void messagesCarryToolCallsAsMaps() {
        ChatMessage call = ChatMessage.fromMap(Map.of("role", "assistant", "tool_calls",
                List.of(Map.of("function", Map.of("name", "f", "arguments", Map.of("x", 1))))));
        String out = ChatTemplate.compile("{{ messages[0].tool_calls[0].function.arguments|tojson }}")
                .render(List.of(call), false, null, null, null);
        assertThat(out).isEqualTo("{\"x\": 1}");
    }
}
