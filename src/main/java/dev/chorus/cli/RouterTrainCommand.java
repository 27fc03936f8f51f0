package dev.chorus.cli;

import dev.chorus.ChorusException;
import dev.chorus.router.CategorySpec;
import dev.chorus.router.Classification;
import dev.chorus.router.Classifier;
import dev.chorus.router.ClassifierTrainer;
import dev.chorus.router.DefaultRouter;
import dev.chorus.router.Encoder;
import dev.chorus.router.Evaluation;
import dev.chorus.router.LabeledPrompt;
import dev.chorus.router.PromptDataset;
import dev.chorus.router.Router;
import dev.chorus.router.RouterFile;
import dev.chorus.router.RouterModel;
import dev.chorus.router.RouterTrainer;
import dev.chorus.router.RoutingPolicy;
import dev.chorus.router.ThresholdCalibrator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chorus router train}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a router from JSONL rows {\"prompt\", \"category\"} and write a router file.")
public final class RouterTrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "train.jsonl", description = "Labelled training rows.")
    Path data;

    @Option(names = "--dev", paramLabel = "dev.jsonl",
            description = "Labelled dev rows: prints accuracy and macro-F1, and sets the threshold so that at most "
                    + "--dev-fallback-rate of them fall back.")
    Path dev;

    @Option(names = "--dev-fallback-rate", defaultValue = "0.05",
            description = "Fallback rate on --dev used to set the threshold (default ${DEFAULT-VALUE}).")
    double devFallbackRate;

    @Option(names = "--classifier", paramLabel = "knn|softmax", description = "Classifier kind (default softmax).")
    String classifier = "softmax";

    @Option(names = "--categories", paramLabel = "FILE.yaml",
            description = "Category descriptions and seed examples ({categories: [{name, description, examples}]}); "
                    + "fixes the label set: a training row with another category is an error.")
    Path categories;

    @Option(names = "--with-default-categories",
            description = "Also train on the shipped category descriptions and examples.")
    boolean withDefaultCategories;

    @Option(names = "--threshold", description = "Confidence threshold to store when no --dev is given (default ${DEFAULT-VALUE}).",
            defaultValue = "0.35")
    double threshold;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "router.bin", description = "Router file to write.")
    Path output;

    @Mixin
    EncoderOptions encoderOptions;

    @Override
    public Integer call() throws Exception {
        Classifier.Kind kind = switch (classifier.toLowerCase(java.util.Locale.ROOT)) {
            case "knn" -> Classifier.Kind.KNN;
            case "softmax" -> Classifier.Kind.SOFTMAX;
            default -> throw new ChorusException("--classifier must be knn or softmax, got " + classifier);
        };
        List<CategorySpec> specs = new java.util.ArrayList<>();
        if (categories != null) {
            if (!Files.isRegularFile(categories)) {
                throw new ChorusException("categories file not found: " + categories);
            }
            specs.addAll(DefaultRouter.parseCategories(Files.readAllBytes(categories), categories.toString()));
        }
        if (withDefaultCategories) {
            specs.addAll(DefaultRouter.categories());
        }
        List<String> fixedLabels = categories == null ? null : specs.stream().map(CategorySpec::name).toList();
        List<LabeledPrompt> rows = fixedLabels == null ? PromptDataset.readLabeled(data)
                : PromptDataset.readLabeled(data, fixedLabels);
        try (Encoder encoder = encoderOptions.open()) {
            long start = System.nanoTime();
            RouterModel model = new RouterTrainer(encoder).train(rows, specs, kind, threshold);
            System.err.printf("trained %s on %d rows (%d labels) in %.1f s%n", kind.name().toLowerCase(),
                    rows.size(), model.labels().size(), (System.nanoTime() - start) / 1e9);
            if (dev != null) {
                List<LabeledPrompt> devRows = PromptDataset.readLabeled(dev);
                Router router = new Router(encoder, model, RoutingPolicy.identity(model.labels()));
                List<Classification> predicted = router.classifyAll(devRows.stream().map(LabeledPrompt::prompt).toList());
                List<String> gold = devRows.stream().map(LabeledPrompt::category).toList();
                ThresholdCalibrator.Choice choice = new ThresholdCalibrator(predicted, gold)
                        .forMaxFallbackRate(devFallbackRate);
                model = model.withThreshold(choice.threshold());
                Evaluation e = Evaluation.of(model.labels(), gold, predicted, model.threshold());
                System.err.printf("dev: accuracy %.4f  macro-F1 %.4f  threshold %.4f (fallback rate %.4f)%n",
                        e.accuracy(), e.macroF1(), model.threshold(), e.fallbackRate());
            }
            RouterFile.write(model, output);
            System.err.println("wrote " + output);
        }
        return 0;
    }
}
