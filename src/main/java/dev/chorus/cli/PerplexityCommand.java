package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.model.Model;
import dev.chorus.model.Perplexity;
import dev.chorus.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus perplexity}: llama-perplexity's measurement (chunks, BOS, second half scored). */
@Command(name = "perplexity", mixinStandardHelpOptions = true,
        description = "Perplexity of a text file, computed exactly as llama.cpp's llama-perplexity.")
public final class PerplexityCommand implements Callable<Integer> {
    @Mixin
    ModelOptionsMixin model;

    @Option(names = {"-f", "--file"}, required = true, paramLabel = "TEXT", description = "Text file (UTF-8).")
    Path file;

    @Option(names = "--ctx", required = true, paramLabel = "N", description = "Tokens per chunk (llama-perplexity -c).")
    int ctx;

    @Option(names = "--json", description = "Print {\"ppl\", \"tokens\", \"chunks\"} instead of the llama.cpp-style log.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        if (text.endsWith("\n")) {
            text = text.substring(0, text.length() - 1); // as llama.cpp's -f does
        }
        try (Model m = Model.open(model.model, model.options().withMaxBatch(Math.max(1, Math.min(ctx, 512))))) {
            Tokenizer tokenizer = Tokenizer.fromGguf(m.metadata());
            int[] tokens = tokenizer.encode(text, true, false);
            int bos = tokenizer.addBos() ? tokenizer.bos() : -1;
            if (!json) {
                System.out.printf("perplexity: %d tokens, %d chunks of %d%n", tokens.length, tokens.length / ctx, ctx);
            }
            Perplexity.Result r = Perplexity.compute(m, tokens, ctx, bos, json ? null : (i, ppl) -> {
                System.out.printf("[%d]%.4f,", i, ppl);
                System.out.flush();
            });
            if (json) {
                List<Map<String, Object>> chunks = new ArrayList<>();
                for (int i = 0; i < r.runningPpl().size(); i++) {
                    Map<String, Object> c = new LinkedHashMap<>();
                    c.put("chunk", i + 1);
                    c.put("running_ppl", r.runningPpl().get(i));
                    c.put("ppl", r.chunkPpl().get(i));
                    chunks.add(c);
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("ppl", r.ppl());
                out.put("stderr", r.stderr());
                out.put("tokens", r.inputTokens());
                out.put("scored_tokens", r.scoredTokens());
                out.put("chunks", chunks);
                System.out.println(new ObjectMapper().writeValueAsString(out));
            } else {
                System.out.printf("%nFinal estimate: PPL = %.4f +/- %.5f%n", r.ppl(), r.stderr());
            }
        }
        return 0;
    }
}
