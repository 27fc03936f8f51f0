package dev.chorus.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The classifier's view of one prompt: best label, its probability, and all probabilities in label order. */
public record Classification(String category, double confidence, double[] probabilities, List<String> labels) {
    /** Normalised entropy of the distribution, in [0, 1]: 0 = certain, 1 = uniform. */
    public double entropy() {
        double h = 0;
        for (double p : probabilities) {
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return probabilities.length < 2 ? 0 : h / Math.log(probabilities.length);
    }

    public Map<String, Double> probabilityMap() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            m.put(labels.get(i), probabilities[i]);
        }
        return m;
    }
}
