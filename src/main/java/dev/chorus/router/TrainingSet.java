package dev.chorus.router;

import java.util.List;

/** Embedded training points: {@code points[i]} (unit length) has label index {@code labels[i]} into {@code labelNames}. */
public record TrainingSet(List<String> labelNames, float[][] points, int[] labels) {
    public TrainingSet {
        if (points.length != labels.length) {
            throw new IllegalArgumentException("points and labels differ in length");
        }
        labelNames = List.copyOf(labelNames);
    }

    public int[] counts() {
        int[] counts = new int[labelNames.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }

    /**
     * Inverse-frequency class weights {@code (n / (C * n_c))^power}, normalised to mean 1 over present labels; a label
     * without points gets weight 0.
     */
    public double[] classWeights(double power) {
        int[] counts = counts();
        int present = 0;
        for (int c : counts) {
            present += c > 0 ? 1 : 0;
        }
        double[] w = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            w[c] = counts[c] == 0 ? 0 : Math.pow((double) points.length / (present * counts[c]), power);
        }
        return w;
    }
}
