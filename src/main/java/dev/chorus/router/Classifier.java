package dev.chorus.router;

/** Maps an L2-normalised embedding to a probability for each label (in the router's label order). */
public sealed interface Classifier permits KnnClassifier, SoftmaxClassifier {
    enum Kind { KNN, SOFTMAX }

    Kind kind();

    int labelCount();

    int dimension();

    double[] probabilities(float[] embedding);
}
