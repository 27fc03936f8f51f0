package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.model.Model;
import dev.chorus.model.ModelOptions;
import dev.chorus.tokenizer.Tokenizer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code chorus bench}: with {@code -m}, the model speed benchmark (prompt and generation tokens/s, like llama-bench),
 * optionally against llama.cpp measured in the same run, always with the machine's memory bandwidth; the subcommands
 * are the other areas' benchmarks.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks (each reports speed as a ratio to a baseline measured in the same run). "
                + "With -m: model prompt (pp) and generation (tg) tokens/s against llama.cpp and memory bandwidth.",
        subcommands = {
                BenchTokenizeCommand.class,
                BenchGgufCommand.class,
                BenchKernelsCommand.class,
                BenchSwitchCommand.class,
                BenchRouteCommand.class,
                BenchServeOverheadCommand.class,
                BenchServeCommand.class,
        })
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = {"-m", "--model"}, paramLabel = "FILE", description = "GGUF model to benchmark.")
    Path model;

    @Option(names = {"-p", "--n-prompt"}, defaultValue = "64", description = "Prompt tokens (default: ${DEFAULT-VALUE}).")
    int prompt;

    @Option(names = {"-n", "--n-gen"}, defaultValue = "32", description = "Generated tokens (default: ${DEFAULT-VALUE}).")
    int generate;

    @Option(names = {"-t", "--threads"}, description = "Threads (default: all cores).")
    Integer threads;

    @Option(names = "--kv-type", paramLabel = "TYPE", defaultValue = "F32",
            description = "KV cache type of Chorus's runs: F32 or F16 (default: ${DEFAULT-VALUE}).")
    dev.chorus.model.KvType kvType;

    @Option(names = {"-r", "--repetitions"}, defaultValue = "3", description = "Repetitions, median reported (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--baseline", paramLabel = "llama.cpp", description = "Also measure llama.cpp (java-llama.cpp, forked JVM).")
    String baseline;

    @Option(names = "--baseline-jar", paramLabel = "JAR",
            description = "The de.kherud:llama jar (default: the local Maven repository's 4.1.0).")
    Path baselineJar;

    @Option(names = "--json", description = "Print {\"pp_tok_s\", \"tg_tok_s\", \"baseline\", ...} as JSON.")
    boolean json;

    @Override
    public void run() {
        if (model == null) {
            spec.commandLine().usage(System.out);
            return;
        }
        try {
            benchmark();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void benchmark() throws Exception {
        if (baseline != null && !baseline.equals("llama.cpp")) {
            throw new IllegalArgumentException("--baseline supports only llama.cpp");
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Map<String, Object> out = new LinkedHashMap<>();
        double bandwidth = MemoryBandwidth.measure(t);
        long weightBytes;
        String promptText;
        ModelBench.Result ours;
        try (Model m = Model.open(model, ModelOptions.defaults().withThreads(t).withKvType(kvType)
                .withContextLength(prompt + generate + 16).withMaxBatch(Math.max(prompt, 1)))) {
            weightBytes = m.weightBytes();
            promptText = baseline != null ? promptOfTokens(Tokenizer.fromGguf(m.metadata()), prompt) : null;
            ours = ModelBench.run(m, prompt, generate, reps);
        }
        Map<String, Object> base = baseline != null ? runBaseline(promptText, t) : null;
        double bandwidthTokS = bandwidth / weightBytes;
        out.put("model", model.getFileName().toString());
        out.put("threads", t);
        out.put("n_prompt", prompt);
        out.put("n_gen", generate);
        out.put("pp_tok_s", round(ours.ppTokS()));
        out.put("tg_tok_s", round(ours.tgTokS()));
        out.put("weight_bytes", weightBytes);
        out.put("memory_bandwidth_gb_s", round(bandwidth / 1e9));
        out.put("tg_bandwidth_limit_tok_s", round(bandwidthTokS));
        out.put("tg_fraction_of_bandwidth", round(ours.tgTokS() / bandwidthTokS));
        if (base != null) {
            out.put("baseline", base);
            if (base.get("pp_tok_s") instanceof Double bpp && base.get("tg_tok_s") instanceof Double btg) {
                out.put("pp_ratio", round(ours.ppTokS() / bpp));
                out.put("tg_ratio", round(ours.tgTokS() / btg));
            }
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(out));
        } else {
            System.out.printf("%s, %d threads: pp%d %.1f tok/s, tg%d %.1f tok/s%n", model.getFileName(), t, prompt,
                    ours.ppTokS(), generate, ours.tgTokS());
            System.out.printf("memory bandwidth %.1f GB/s, weights %.1f MB: tg limit %.1f tok/s, tg at %.0f%% of it%n",
                    bandwidth / 1e9, weightBytes / 1e6, bandwidthTokS, 100 * ours.tgTokS() / bandwidthTokS);
            if (base != null) {
                System.out.println("llama.cpp: " + base + (out.containsKey("tg_ratio")
                        ? String.format("; Chorus/llama.cpp pp %.2fx, tg %.2fx", out.get("pp_ratio"), out.get("tg_ratio")) : ""));
            }
        }
    }

    /** A text whose tokenization (with BOS) has exactly n tokens, so both engines process the same prompt length. */
    private static String promptOfTokens(Tokenizer tok, int n) {
        String word = "the cat sat on the mat and ";
        StringBuilder sb = new StringBuilder();
        while (tok.encode(sb.toString(), true, false).length < n) {
            sb.append(word);
        }
        while (sb.length() > 0 && tok.encode(sb.toString(), true, false).length > n) {
            sb.setLength(sb.length() - 1);
        }
        return sb.toString();
    }

    private Map<String, Object> runBaseline(String promptText, int t) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("engine", "llama.cpp via java-llama.cpp (de.kherud:llama 4.1.0)");
        Path jar = baselineJar != null ? baselineJar
                : Path.of(System.getProperty("user.home"), ".m2/repository/de/kherud/llama/4.1.0/llama-4.1.0.jar");
        if (!Files.isRegularFile(jar)) {
            result.put("error", "java-llama.cpp jar not found at " + jar
                    + " (fetch it with: mvn dependency:get -Dartifact=de.kherud:llama:4.1.0)");
            return result;
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path") + File.pathSeparator + jar,
                LlamaCppBaseline.class.getName(), model.toString(), promptText, String.valueOf(generate),
                String.valueOf(t), String.valueOf(reps), String.valueOf(prompt)));
        Path log = Files.createTempFile("chorus-llamacpp-", ".log");
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        String stdout = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        JsonNode node = new ObjectMapper().readTree(stdout.lines().filter(l -> l.startsWith("{")).findFirst()
                .orElse("{\"error\": \"no result (exit " + p.exitValue() + "), see " + log + "\"}"));
        node.fields().forEachRemaining(e -> result.put(e.getKey(),
                e.getValue().isNumber() ? e.getValue().asDouble() : e.getValue().asText()));
        return result;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
