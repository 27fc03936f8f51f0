package dev.chorus.router;

import java.util.List;

/**
 * A trained router: which encoder produced its embeddings, the label set, the classifier, and the confidence threshold
 * below which requests go to the fallback expert.
 */
public record RouterModel(String encoderId, int dimension, List<String> labels, Classifier classifier,
                          double threshold) {
    public RouterModel {
        labels = List.copyOf(labels);
        if (classifier.labelCount() != labels.size()) {
            throw new IllegalArgumentException("classifier has " + classifier.labelCount() + " labels, label set has "
                    + labels.size());
        }
        if (classifier.dimension() != dimension) {
            throw new IllegalArgumentException("classifier dimension " + classifier.dimension()
                    + " differs from embedding dimension " + dimension);
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
    }

    public RouterModel withThreshold(double newThreshold) {
        return new RouterModel(encoderId, dimension, labels, classifier, newThreshold);
    }

    public int labelIndex(String label) {
        return labels.indexOf(label);
    }
}
