package dev.chorus.router;

import java.util.Arrays;

/**
 * k-nearest-neighbour vote over cosine similarity. Each of the k nearest training points votes for its label with
 * weight {@code classWeight[label] * exp((sim - bestSim) / temperature)}; the votes, normalised, are the
 * probabilities. Class weights (inverse frequency) keep thin categories from being outvoted by sheer numbers.
 */
public record KnnClassifier(float[][] points, int[] labels, int labelCount, int k, double temperature,
                            double[] classWeights) implements Classifier {
    public KnnClassifier {
        if (points.length != labels.length || points.length == 0) {
            throw new IllegalArgumentException("kNN needs at least one point and one label per point");
        }
        if (k < 1 || temperature <= 0 || classWeights.length != labelCount) {
            throw new IllegalArgumentException("invalid kNN parameters: k=" + k + " temperature=" + temperature);
        }
    }

    @Override
    public Kind kind() {
        return Kind.KNN;
    }

    @Override
    public int dimension() {
        return points[0].length;
    }

    @Override
    public double[] probabilities(float[] embedding) {
        int kk = Math.min(k, points.length);
        double[] topSim = new double[kk];
        int[] topIdx = new int[kk];
        Arrays.fill(topSim, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < points.length; i++) {
            double s = Vectors.dot(points[i], embedding);
            if (s > topSim[kk - 1]) {
                int j = kk - 1;
                while (j > 0 && topSim[j - 1] < s) {
                    topSim[j] = topSim[j - 1];
                    topIdx[j] = topIdx[j - 1];
                    j--;
                }
                topSim[j] = s;
                topIdx[j] = i;
            }
        }
        double[] votes = new double[labelCount];
        for (int j = 0; j < kk; j++) {
            int label = labels[topIdx[j]];
            votes[label] += classWeights[label] * Math.exp((topSim[j] - topSim[0]) / temperature);
        }
        double sum = Arrays.stream(votes).sum();
        for (int c = 0; c < labelCount; c++) {
            votes[c] /= sum;
        }
        return votes;
    }
}
