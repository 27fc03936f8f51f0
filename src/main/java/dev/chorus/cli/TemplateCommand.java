package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.ChorusException;
import dev.chorus.chat.ChatMessage;
import dev.chorus.chat.ChatTemplate;
import dev.chorus.chat.SpecialTokens;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufMetadata;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus template}: renders a chat template exactly as the server would, to debug a model's prompt format. */
@Command(name = "template", mixinStandardHelpOptions = true,
        description = "Render a chat template (a model's tokenizer.chat_template or a .jinja file) for a conversation "
                + "and print the prompt exactly (no newline added).")
public final class TemplateCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    static final class Source {
        @Option(names = {"-m", "--model"}, paramLabel = "MODEL.gguf",
                description = "Use the model's tokenizer.chat_template (ChatML when it has none).")
        Path model;

        @Option(names = "--template", paramLabel = "FILE.jinja", description = "Use this template file.")
        Path template;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--messages", required = true, paramLabel = "FILE.json",
            description = "A JSON array of messages, or an object with \"messages\" and other template variables "
                    + "(e.g. \"tools\"), like a chat/completions request body.")
    Path messages;

    @Option(names = "--add-generation-prompt", description = "Append the assistant turn opener.")
    boolean addGenerationPrompt;

    @Option(names = "--bos", paramLabel = "S", description = "bos_token text (default: the model's BOS token).")
    String bos;

    @Option(names = "--eos", paramLabel = "S", description = "eos_token text (default: the model's EOS token).")
    String eos;

    @Option(names = "--var", paramLabel = "KEY=VALUE",
            description = "Extra template variable; VALUE is parsed as JSON when it is valid JSON "
                    + "(true, 3, {\"a\":1}), else taken as a string. Repeatable.")
    List<String> vars = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        ChatTemplate template;
        String bosToken = bos;
        String eosToken = eos;
        if (source.model != null) {
            requireFile(source.model);
            try (GgufFile gguf = GgufFile.open(source.model)) {
                GgufMetadata meta = gguf.metadata();
                template = ChatTemplate.forModel(meta);
                bosToken = bos != null ? bos : SpecialTokens.bos(meta);
                eosToken = eos != null ? eos : SpecialTokens.eos(meta);
            }
        } else {
            requireFile(source.template);
            template = ChatTemplate.compile(Files.readString(source.template, StandardCharsets.UTF_8));
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        List<ChatMessage> conversation = readMessages(messages, variables);
        for (String v : vars) {
            int eq = v.indexOf('=');
            if (eq <= 0) {
                throw new ChorusException("--var expects KEY=VALUE, got '" + v + "'");
            }
            variables.put(v.substring(0, eq), jsonOrString(v.substring(eq + 1)));
        }
        String prompt = template.render(conversation, addGenerationPrompt, bosToken, eosToken, variables);
        PrintWriter out = spec.commandLine().getOut();
        out.print(prompt);
        out.flush();
        return 0;
    }

    private static void requireFile(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new ChorusException("file not found: " + p);
        }
    }

    private static List<ChatMessage> readMessages(Path file, Map<String, Object> variables) throws IOException {
        requireFile(file);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ChorusException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode list = root;
        if (root != null && root.isObject()) {
            list = root.get("messages");
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("messages")) {
                    variables.put(e.getKey(), JSON.treeToValue(e.getValue(), Object.class));
                }
            }
        }
        if (list == null || !list.isArray()) {
            throw new ChorusException(file + ": expected a JSON array of messages or an object with \"messages\"");
        }
        List<ChatMessage> out = new ArrayList<>();
        int i = 0;
        for (JsonNode m : list) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw new ChorusException(file + ": message " + i + " needs a string \"role\"");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = JSON.treeToValue(m, LinkedHashMap.class);
            out.add(ChatMessage.fromMap(fields));
            i++;
        }
        return out;
    }

    private static Object jsonOrString(String text) {
        try {
            // Trailing text means it is not JSON: "26 Jul 2024" is a string, not 26.
            return JSON.readerFor(Object.class)
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(text);
        } catch (IOException notJson) {
            return text;
        }
    }
}
