package dev.chorus.router;

/**
 * Multinomial logistic regression: {@code p = softmax(W x + b)}. {@code weights[c]} is the row for label c.
 */
public record SoftmaxClassifier(double[][] weights, double[] bias) implements Classifier {
    public SoftmaxClassifier {
        if (weights.length != bias.length || weights.length < 2) {
            throw new IllegalArgumentException("softmax needs at least two labels and one bias per label");
        }
    }

    @Override
    public Kind kind() {
        return Kind.SOFTMAX;
    }

    @Override
    public int labelCount() {
        return bias.length;
    }

    @Override
    public int dimension() {
        return weights[0].length;
    }

    /** Raw scores before the softmax. */
    public double[] logits(float[] x) {
        double[] z = new double[bias.length];
        for (int c = 0; c < z.length; c++) {
            double[] w = weights[c];
            double s = bias[c];
            for (int i = 0; i < w.length; i++) {
                s += w[i] * x[i];
            }
            z[c] = s;
        }
        return z;
    }

    @Override
    public double[] probabilities(float[] embedding) {
        return Vectors.softmax(logits(embedding));
    }
}
