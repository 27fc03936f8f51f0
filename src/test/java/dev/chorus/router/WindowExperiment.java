package dev.chorus.router;

import java.nio.file.Path;
import java.util.List;

/**
 * Manual experiment (not a test): dev accuracy / macro-F1 of the shipped router and of one trained on the shared train
 * set, for several encoder windows. Args: the shared folder, then windows (in word pieces with [CLS] and [SEP]).
 */
public final class WindowExperiment {
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        List<LabeledPrompt> train = PromptDataset.readLabeled(shared.resolve("data/router/train.jsonl"));
        List<LabeledPrompt> dev = PromptDataset.readLabeled(shared.resolve("data/router/dev.jsonl"));
        List<String> gold = dev.stream().map(LabeledPrompt::category).toList();
        for (int a = 1; a < args.length; a++) {
            int window = Integer.parseInt(args[a]);
            try (OnnxSentenceEncoder enc = OnnxSentenceEncoder.miniLm(window)) {
                long over = dev.stream().filter(p -> enc.tokenCount(p.prompt()) > window - 2).count();
                long overTrain = train.stream().filter(p -> enc.tokenCount(p.prompt()) > window - 2).count();
                long t0 = System.nanoTime();
                TrainingSet set = new RouterTrainer(enc).embed(train, List.of());
                float[][] devPoints = RouterTrainer.embedAll(enc, dev.stream().map(LabeledPrompt::prompt).toList());
                System.out.printf("window %d: %d/%d dev and %d/%d train prompts are cut; embedded in %.1fs%n", window,
                        over, dev.size(), overTrain, train.size(), (System.nanoTime() - t0) / 1e9);
                TrainingSet shipped = new RouterTrainer(enc).embed(List.of(), DefaultRouter.categories());
                RouterExperiment.report("window " + window + " SHIPPED softmax",
                        ClassifierTrainer.train(ClassifierTrainer.DEFAULT_KIND, shipped), shipped, devPoints, gold);
                RouterExperiment.report("window " + window + " TRAINED softmax",
                        ClassifierTrainer.train(ClassifierTrainer.DEFAULT_KIND, set), set, devPoints, gold);
            }
        }
    }
}
