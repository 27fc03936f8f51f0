package dev.chorus.cli;

import dev.chorus.router.Classification;
import dev.chorus.router.Encoder;
import dev.chorus.router.Evaluation;
import dev.chorus.router.EvaluationReport;
import dev.chorus.router.LabeledPrompt;
import dev.chorus.router.PromptDataset;
import dev.chorus.router.Router;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chorus router eval}. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Accuracy, macro-F1, per-category scores and confusion matrix of a router on labelled rows.")
public final class RouterEvalCommand implements Callable<Integer> {
    @Option(names = "--router", paramLabel = "router.bin", description = "Router file (default: the shipped router).")
    Path routerFile;

    @Option(names = "--data", required = true, paramLabel = "FILE.jsonl", description = "Labelled rows.")
    Path data;

    @Option(names = "--json", description = "Print {accuracy, macro_f1, per_category, fallback_rate, ...} as JSON.")
    boolean json;

    @Option(names = "--html", paramLabel = "report.html", description = "Also write an HTML report with the "
            + "confusion matrix drawn as a heat map.")
    Path html;

    @Mixin
    EncoderOptions encoderOptions;

    @Override
    public Integer call() throws Exception {
        List<LabeledPrompt> rows = PromptDataset.readLabeled(data);
        try (Encoder encoder = encoderOptions.open()) {
            Router router = RouterSupport.open(routerFile, encoder);
            List<Classification> predicted = router.classifyAll(rows.stream().map(LabeledPrompt::prompt).toList());
            Evaluation e = Evaluation.of(router.model().labels(), rows.stream().map(LabeledPrompt::category).toList(),
                    predicted, router.threshold());
            if (json) {
                System.out.println(RouterSupport.PRETTY.writeValueAsString(EvaluationReport.json(e)));
            } else {
                System.out.print(EvaluationReport.text(e));
            }
            if (html != null) {
                Files.writeString(html, EvaluationReport.html(e, "Chorus router on " + data.getFileName()));
                System.err.println("wrote " + html);
            }
        }
        return 0;
    }
}
