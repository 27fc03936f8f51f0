package dev.chorus.router;

import dev.chorus.ChorusException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Embeds labelled prompts and category specs and trains a {@link RouterModel}. */
public final class RouterTrainer {
    private static final int BATCH = 64;

    private final Encoder encoder;

    public RouterTrainer(Encoder encoder) {
        this.encoder = encoder;
    }

    /**
     * Trains on {@code rows} plus the description and examples of each spec. The label set is the specs' names (in
     * order) followed by any further labels of the rows in order of first appearance.
     */
    public RouterModel train(List<LabeledPrompt> rows, List<CategorySpec> specs, Classifier.Kind kind,
                             double threshold) {
        TrainingSet set = embed(rows, specs);
        Classifier classifier = ClassifierTrainer.train(kind, set);
        return new RouterModel(encoder.id(), encoder.dimension(), set.labelNames(), classifier, threshold);
    }

    public TrainingSet embed(List<LabeledPrompt> rows, List<CategorySpec> specs) {
        Set<String> labels = new LinkedHashSet<>();
        specs.forEach(s -> labels.add(s.name()));
        rows.forEach(r -> labels.add(r.category()));
        List<String> labelList = new ArrayList<>(labels);
        if (labelList.size() < 2) {
            throw new ChorusException("a router needs at least two categories, got " + labelList);
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < labelList.size(); i++) {
            index.put(labelList.get(i), i);
        }
        List<String> texts = new ArrayList<>();
        List<Integer> ys = new ArrayList<>();
        for (CategorySpec spec : specs) {
            for (String t : spec.trainingTexts()) {
                texts.add(t);
                ys.add(index.get(spec.name()));
            }
        }
        for (LabeledPrompt row : rows) {
            texts.add(row.prompt());
            ys.add(index.get(row.category()));
        }
        float[][] points = embedAll(encoder, texts);
        int[] y = ys.stream().mapToInt(Integer::intValue).toArray();
        return new TrainingSet(labelList, points, y);
    }

    static float[][] embedAll(Encoder encoder, List<String> texts) {
        float[][] points = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += BATCH) {
            List<float[]> batch = encoder.embed(texts.subList(from, Math.min(texts.size(), from + BATCH)));
            for (int j = 0; j < batch.size(); j++) {
                points[from + j] = batch.get(j);
            }
        }
        return points;
    }
}
