package dev.chorus.router;

import java.nio.file.Path;
import java.util.List;

/** Manual experiment (not a test): compares classifier settings on the shared dev set. */
public final class RouterExperiment {
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        try (Encoder enc = OnnxSentenceEncoder.miniLm(Integer.getInteger("window", 256))) {
            List<LabeledPrompt> train = PromptDataset.readLabeled(shared.resolve("data/router/train.jsonl"));
            List<LabeledPrompt> dev = PromptDataset.readLabeled(shared.resolve("data/router/dev.jsonl"));
            long t0 = System.nanoTime();
            TrainingSet set = new RouterTrainer(enc).embed(train, List.of());
            float[][] devPoints = RouterTrainer.embedAll(enc, dev.stream().map(LabeledPrompt::prompt).toList());
            System.out.printf("embedded %d+%d in %.1fs%n", train.size(), dev.size(), (System.nanoTime() - t0) / 1e9);
            List<String> gold = dev.stream().map(LabeledPrompt::category).toList();
            TrainingSet defaults = new RouterTrainer(enc).embed(List.of(), DefaultRouter.categories());
            for (double l2 : new double[]{1e-5, 1e-4, 1e-3}) {
                report("DEFAULT softmax l2=" + l2, ClassifierTrainer.softmax(defaults, l2, 300, 0), defaults, devPoints, gold);
            }
            for (int k : new int[]{3, 5, 10}) {
                report("DEFAULT knn k=" + k, ClassifierTrainer.knn(defaults, k, 0.1, 1), defaults, devPoints, gold);
            }
            if (args.length > 1) {
                report("TRAINED softmax", ClassifierTrainer.train(Classifier.Kind.SOFTMAX, set), set, devPoints, gold);
                report("TRAINED knn", ClassifierTrainer.train(Classifier.Kind.KNN, set), set, devPoints, gold);
                return;
            }
            for (int k : new int[]{5, 10, 20}) {
                for (double temp : new double[]{0.02, 0.05, 0.1}) {
                    for (double pw : new double[]{0, 0.5, 1}) {
                        report("knn k=" + k + " t=" + temp + " pw=" + pw, ClassifierTrainer.knn(set, k, temp, pw), set, devPoints, gold);
                    }
                }
            }
            for (double l2 : new double[]{1e-5, 1e-4, 1e-3}) {
                for (int epochs : new int[]{100, 300}) {
                    for (double pw : new double[]{0, 1}) {
                        long t = System.nanoTime();
                        Classifier c = ClassifierTrainer.softmax(set, l2, epochs, pw);
                        report("softmax l2=" + l2 + " ep=" + epochs + " pw=" + pw + String.format(" (%.1fs)", (System.nanoTime() - t) / 1e9), c, set, devPoints, gold);
                    }
                }
            }
        }
    }

    static void report(String name, Classifier c, TrainingSet set, float[][] dev, List<String> gold) {
        RouterModel m = new RouterModel("x", set.points()[0].length, set.labelNames(), c, 0);
        List<Classification> pred = new java.util.ArrayList<>();
        for (float[] v : dev) {
            double[] p = c.probabilities(v);
            int b = Vectors.argmax(p);
            pred.add(new Classification(set.labelNames().get(b), p[b], p, set.labelNames()));
        }
        Evaluation e = Evaluation.of(m.labels(), gold, pred, 0);
        StringBuilder per = new StringBuilder();
        e.perCategory().forEach((k, v) -> per.append(String.format(" %s=%.2f", k.substring(0, 4), v.f1())));
        System.out.printf("%-45s acc=%.4f macroF1=%.4f |%s%n", name, e.accuracy(), e.macroF1(), per);
    }
}
