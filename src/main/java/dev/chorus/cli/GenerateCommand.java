package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.model.Generation;
import dev.chorus.model.GenerationOptions;
import dev.chorus.model.Generator;
import dev.chorus.model.Model;
import dev.chorus.sampling.SamplerConfig;
import dev.chorus.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus generate}: completes a prompt with a local GGUF model, streaming the text. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate text from a prompt with a GGUF model (streams as it is produced).")
public final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelOptionsMixin model;

    @Option(names = {"-p", "--prompt"}, required = true, paramLabel = "TEXT", description = "The prompt.")
    String prompt;

    @Option(names = {"-n", "--n-predict"}, defaultValue = "128", paramLabel = "N",
            description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--temp", defaultValue = "0.8", description = "Temperature; 0 = greedy (default: ${DEFAULT-VALUE}).")
    float temperature;

    @Option(names = "--top-k", defaultValue = "40", description = "Top-k, 0 = off (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", description = "Top-p, 1 = off (default: ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--min-p", defaultValue = "0.05", description = "Min-p, 0 = off (default: ${DEFAULT-VALUE}).")
    float minP;

    @Option(names = "--repeat-penalty", defaultValue = "1.0", description = "Repetition penalty (default: ${DEFAULT-VALUE}).")
    float repeatPenalty;

    @Option(names = "--presence-penalty", defaultValue = "0", description = "Presence penalty (default: ${DEFAULT-VALUE}).")
    float presencePenalty;

    @Option(names = "--frequency-penalty", defaultValue = "0", description = "Frequency penalty (default: ${DEFAULT-VALUE}).")
    float frequencyPenalty;

    @Option(names = "--repeat-last-n", defaultValue = "64", description = "Tokens the penalties look back (default: ${DEFAULT-VALUE}).")
    int penaltyLastN;

    @Option(names = "--seed", description = "Random seed (default: random).")
    Long seed;

    @Option(names = "--stop", paramLabel = "TEXT", description = "Stop string (repeatable).")
    List<String> stops = List.of();

    @Option(names = "--ignore-eos", description = "Do not stop at end-of-generation tokens.")
    boolean ignoreEos;

    @Option(names = "--json", description = "Print {\"prompt_ids\", \"ids\", \"text\"} at the end instead of streaming.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        SamplerConfig sampler = new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, presencePenalty,
                frequencyPenalty, penaltyLastN, seed != null ? seed : System.nanoTime());
        GenerationOptions options = GenerationOptions.of(maxTokens, sampler).withStopStrings(stops).withIgnoreEos(ignoreEos);
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Model m = Model.open(model.model, model.options())) {
            Tokenizer tokenizer = Tokenizer.fromGguf(m.metadata());
            int[] promptIds = tokenizer.encode(prompt, true, true);
            Generation g = new Generator(m, tokenizer).generate(promptIds, options, json ? null : text -> {
                out.print(text);
                out.flush();
            });
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("prompt_ids", g.promptIds());
                result.put("ids", g.ids());
                result.put("text", g.text());
                result.put("stop_reason", g.stopReason().name().toLowerCase());
                out.println(new ObjectMapper().writeValueAsString(result));
            } else {
                out.println();
                System.err.printf("chorus: %d prompt tokens in %.1f ms, %d tokens at %.2f tok/s (%s)%n",
                        promptIds.length, g.promptNanos() / 1e6, g.ids().length,
                        g.ids().length / Math.max(1e-9, g.generateNanos() / 1e9), g.stopReason().name().toLowerCase());
            }
        }
        return 0;
    }
}
