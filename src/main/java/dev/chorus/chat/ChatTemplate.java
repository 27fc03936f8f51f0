package dev.chorus.chat;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.tree.Node;
import dev.chorus.gguf.GgufMetadata;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model's chat template (Hugging Face Jinja), compiled once and rendered per request exactly as transformers'
 * {@code apply_chat_template} does: same whitespace handling, Python string methods, HF's tojson,
 * {@code raise_exception}. Instances are immutable and thread-safe.
 */
public final class ChatTemplate {
    /** Plain ChatML, used when a model has no template (transformers' former default). */
    public static final String CHATML = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' "
            + "+ message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final int CACHE_LIMIT = 256;
    private static final Map<String, ChatTemplate> CACHE = new ConcurrentHashMap<>();

    private final String source;
    private final Node root;
    private final Clock clock;
    private final String defaultBos;
    private final String defaultEos;

    private ChatTemplate(String source, Node root, Clock clock, String defaultBos, String defaultEos) {
        this.source = source;
        this.root = root;
        this.clock = clock;
        this.defaultBos = defaultBos;
        this.defaultEos = defaultEos;
    }

    /** Parses a template once; the same source returns the cached compiled template. */
    public static ChatTemplate compile(String source) {
        Objects.requireNonNull(source, "template source");
        ChatTemplate cached = CACHE.get(source);
        if (cached != null) {
            return cached;
        }
        ChatTemplate compiled = compileUncached(source);
        if (CACHE.size() >= CACHE_LIMIT) {
            CACHE.clear();
        }
        CACHE.putIfAbsent(source, compiled);
        return compiled;
    }

    /** Parses without the cache (the benchmark's baseline). */
    static ChatTemplate compileUncached(String source) {
        return new ChatTemplate(source, parse(source), Clock.systemDefaultZone(), null, null);
    }

    /** The model's tokenizer.chat_template (ChatML when it has none), with its BOS/EOS token texts as defaults. */
    public static ChatTemplate forModel(GgufMetadata metadata) {
        String source = metadata.getString("tokenizer.chat_template", null);
        ChatTemplate template = compile(source == null || source.isBlank() ? CHATML : source);
        return new ChatTemplate(template.source, template.root, template.clock,
                SpecialTokens.bos(metadata), SpecialTokens.eos(metadata));
    }

    /** The same template rendered against another clock (strftime_now), e.g. a fixed one in tests. */
    public ChatTemplate withClock(Clock newClock) {
        return new ChatTemplate(source, root, Objects.requireNonNull(newClock), defaultBos, defaultEos);
    }

    public String source() {
        return source;
    }

    /** BOS token text from the model (forModel) or null. */
    public String defaultBos() {
        return defaultBos;
    }

    /** EOS token text from the model (forModel) or null. */
    public String defaultEos() {
        return defaultEos;
    }

    /** Renders with the model's own BOS/EOS texts (see {@link #forModel}). */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, Object> extra) {
        return render(messages, addGenerationPrompt, defaultBos, defaultEos, extra);
    }

    /**
     * Renders the prompt. {@code extraVariables} adds template variables such as {@code tools},
     * {@code date_string} or {@code enable_thinking} (plain Maps/Lists as Jackson reads them).
     *
     * @throws ChatTemplateException when the template rejects the conversation or fails
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, String bosToken, String eosToken,
                         Map<String, Object> extraVariables) {
        Map<String, Object> bindings = new HashMap<>();
        List<Object> messageMaps = new ArrayList<>(messages.size());
        messages.forEach(m -> messageMaps.add(PyNone.fromJson(m.fields())));
        bindings.put("messages", messageMaps);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        putIfNotNull(bindings, "bos_token", bosToken);
        putIfNotNull(bindings, "eos_token", eosToken);
        // transformers always passes these two, as None when absent.
        bindings.put("tools", PyNone.NONE);
        bindings.put("documents", PyNone.NONE);
        if (extraVariables != null) {
            extraVariables.forEach((k, v) -> bindings.put(k, PyNone.fromJson(v)));
        }
        bindings.put(PyNone.VARIABLE, PyNone.NONE);
        // Jinja2 sees its global functions as defined variables (Llama 3.2 checks `strftime_now is defined`);
        // Jinjava's functions are not variables, so markers are bound under their names.
        HfGlobals.FUNCTION_NAMES.forEach(name -> bindings.put(name, new HfGlobals.FunctionMarker(name)));
        JinjavaInterpreter interpreter = new JinjavaInterpreter(HfJinja.engine(),
                new Context(HfJinja.engine().getGlobalContext(), bindings), HfJinja.engine().getGlobalConfig());
        RenderScope scope = RenderScope.open(clock);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output = interpreter.render(root, true);
            if (scope.raised() != null) {
                throw ChatTemplateException.raised(scope.raised());
            }
            failOnFatal(interpreter.getErrorsCopy(), "render");
            return output;
        } finally {
            JinjavaInterpreter.popCurrent();
            RenderScope.close();
        }
    }

    // A null BOS/EOS leaves the variable undefined, as transformers does for a tokenizer without that token.
    private static void putIfNotNull(Map<String, Object> bindings, String key, Object value) {
        if (value != null) {
            bindings.put(key, value);
        }
    }

    private static Node parse(String source) {
        String jinjavaSource = TemplateSource.toJinjava(source);
        JinjavaInterpreter interpreter = HfJinja.engine().newInterpreter();
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            Node root = interpreter.parse(jinjavaSource);
            failOnFatal(interpreter.getErrorsCopy(), "parse");
            return root;
        } finally {
            JinjavaInterpreter.popCurrent();
        }
    }

    private static void failOnFatal(List<TemplateError> errors, String phase) {
        for (TemplateError e : errors) {
            if (e.getSeverity() == TemplateError.ErrorType.FATAL) {
                Throwable cause = e.getException();
                while (cause != null) {
                    if (cause instanceof ChatTemplateException cte) {
                        throw cte;
                    }
                    cause = cause.getCause();
                }
                throw new ChatTemplateException("chat template " + phase + " error at line " + e.getLineno()
                        + ": " + e.getMessage());
            }
        }
    }
}
