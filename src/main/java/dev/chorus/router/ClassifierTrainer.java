package dev.chorus.router;

/** Trains the two classifier kinds on embedded points, in plain Java. Deterministic for a given training set. */
public final class ClassifierTrainer {
    /** Defaults chosen on the shared dev set (see docs/ROUTER.md). */
    public static final int KNN_K = 20;
    public static final double KNN_TEMPERATURE = 0.1;
    /** Inverse-frequency vote weights help kNN's thin classes (macro-F1 0.756 vs 0.730 unweighted on dev). */
    public static final double KNN_CLASS_WEIGHT_POWER = 1.0;
    public static final double SOFTMAX_L2 = 1e-4;
    public static final int SOFTMAX_EPOCHS = 300;
    /** Class weights made softmax worse on dev (macro-F1 0.820 vs 0.847), so it trains unweighted. */
    public static final double SOFTMAX_CLASS_WEIGHT_POWER = 0.0;
    public static final Classifier.Kind DEFAULT_KIND = Classifier.Kind.SOFTMAX;

    private ClassifierTrainer() {
    }

    public static Classifier train(Classifier.Kind kind, TrainingSet data) {
        return switch (kind) {
            case KNN -> knn(data, KNN_K, KNN_TEMPERATURE, KNN_CLASS_WEIGHT_POWER);
            case SOFTMAX -> softmax(data, SOFTMAX_L2, SOFTMAX_EPOCHS, SOFTMAX_CLASS_WEIGHT_POWER);
        };
    }

    public static KnnClassifier knn(TrainingSet data, int k, double temperature, double classWeightPower) {
        return new KnnClassifier(data.points(), data.labels(), data.labelNames().size(), k, temperature,
                data.classWeights(classWeightPower));
    }

    /**
     * Class-weighted softmax regression fitted by full-batch Adam on the cross-entropy plus {@code l2 * |W|^2}.
     * Class weights make each label count as if it had the same number of examples.
     */
    public static SoftmaxClassifier softmax(TrainingSet data, double l2, int epochs, double classWeightPower) {
        int classes = data.labelNames().size();
        int dim = data.points()[0].length;
        int n = data.points().length;
        double[] classWeight = data.classWeights(classWeightPower);
        double[][] w = new double[classes][dim];
        double[] b = new double[classes];
        // Adam state, flattened as [class][dim + 1] with the bias last.
        double[][] m = new double[classes][dim + 1];
        double[][] v = new double[classes][dim + 1];
        double lr = 0.05;
        double beta1 = 0.9;
        double beta2 = 0.999;
        double totalWeight = 0;
        for (int label : data.labels()) {
            totalWeight += classWeight[label];
        }
        SoftmaxClassifier model = new SoftmaxClassifier(w, b);
        double[][] grad = new double[classes][dim + 1];
        for (int epoch = 1; epoch <= epochs; epoch++) {
            for (double[] g : grad) {
                java.util.Arrays.fill(g, 0);
            }
            for (int i = 0; i < n; i++) {
                float[] x = data.points()[i];
                double[] p = model.probabilities(x);
                int y = data.labels()[i];
                double sw = classWeight[y] / totalWeight;
                for (int c = 0; c < classes; c++) {
                    double d = sw * (p[c] - (c == y ? 1 : 0));
                    double[] g = grad[c];
                    for (int j = 0; j < dim; j++) {
                        g[j] += d * x[j];
                    }
                    g[dim] += d;
                }
            }
            double corr1 = 1 - Math.pow(beta1, epoch);
            double corr2 = 1 - Math.pow(beta2, epoch);
            for (int c = 0; c < classes; c++) {
                for (int j = 0; j <= dim; j++) {
                    double g = grad[c][j] + (j < dim ? 2 * l2 * w[c][j] : 0);
                    m[c][j] = beta1 * m[c][j] + (1 - beta1) * g;
                    v[c][j] = beta2 * v[c][j] + (1 - beta2) * g * g;
                    double step = lr * (m[c][j] / corr1) / (Math.sqrt(v[c][j] / corr2) + 1e-8);
                    if (j < dim) {
                        w[c][j] -= step;
                    } else {
                        b[c] -= step;
                    }
                }
            }
        }
        return model;
    }
}
