package dev.chorus.cli;

import dev.chorus.ChorusException;
import dev.chorus.router.Encoder;
import dev.chorus.router.LabeledPrompt;
import dev.chorus.router.PromptDataset;
import dev.chorus.router.RouteDecision;
import dev.chorus.router.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code chorus route}. */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Show the category, confidence and expert the router picks for a prompt or a JSONL file.")
public final class RouteCommand implements Callable<Integer> {
    @Option(names = "--router", paramLabel = "router.bin", description = "Router file (default: the shipped router).")
    Path routerFile;

    @Option(names = "--data", paramLabel = "FILE.jsonl", description = "Route every {\"prompt\"} row, in order.")
    Path data;

    @Option(names = "--json", description = "Print one JSON object per prompt.")
    boolean json;

    @Parameters(arity = "0..1", paramLabel = "PROMPT", description = "The prompt to route.")
    String prompt;

    @Mixin
    EncoderOptions encoderOptions;

    @Override
    public Integer call() throws Exception {
        if ((prompt == null) == (data == null)) {
            throw new ChorusException("give either a PROMPT or --data FILE.jsonl");
        }
        List<LabeledPrompt> rows = data != null ? PromptDataset.readPrompts(data)
                : List.of(new LabeledPrompt(prompt, null, 1));
        try (Encoder encoder = encoderOptions.open()) {
            Router router = RouterSupport.open(routerFile, encoder);
            for (LabeledPrompt row : rows) {
                RouteDecision d;
                try {
                    d = router.route(row.prompt());
                } catch (ChorusException e) {
                    throw new ChorusException((data != null ? data + ":" + row.line() + ": " : "") + e.getMessage());
                }
                if (json) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    if (data != null) {
                        out.put("line", row.line());
                    }
                    out.put("category", d.category());
                    out.put("confidence", Math.round(d.confidence() * 1e4) / 1e4);
                    out.put("expert", d.expert());
                    out.put("fallback", d.fallbackTaken());
                    if (row.category() != null) {
                        out.put("gold", row.category());
                    }
                    System.out.println(RouterSupport.JSON.writeValueAsString(out));
                } else {
                    System.out.printf("%-11s %.3f  expert=%s%s%n", d.category(), d.confidence(), d.expert(),
                            d.fallbackTaken() ? "  (fallback: below threshold " + router.threshold() + ")" : "");
                }
            }
        }
        return 0;
    }
}
