package dev.chorus.model;

import java.io.IOException;

/** Runs a reference model over the reference tokens in one batch, like llama.cpp's reference run. */
final class ModelFixtures {
    private ModelFixtures() {
    }

    static float[][] allLogits(String stem, int[] tokens, ModelOptions options) throws IOException {
        try (Model model = Model.open(Reference.model(stem), options)) {
            return allLogits(model, tokens);
        }
    }

    static float[][] allLogits(Model model, int[] tokens) {
        Engine engine = model.newEngine();
        try (Sequence seq = model.newSequence()) {
            Batch batch = new Batch(tokens.length);
            for (int i = 0; i < tokens.length; i++) {
                batch.add(seq, i, tokens[i], true);
            }
            Logits logits = engine.forward(batch);
            float[][] out = new float[logits.rows()][];
            for (int r = 0; r < logits.rows(); r++) {
                out[r] = logits.row(r);
            }
            return out;
        }
    }

    /** One token per forward call: the decode path (matrix-vector kernels, growing cache). */
    static float[][] stepwiseLogits(Model model, int[] tokens) {
        Engine engine = model.newEngine();
        float[][] out = new float[tokens.length][];
        try (Sequence seq = model.newSequence()) {
            Batch batch = new Batch(1);
            for (int i = 0; i < tokens.length; i++) {
                batch.clear();
                batch.add(seq, i, tokens[i], true);
                out[i] = engine.forward(batch).row(0);
            }
        }
        return out;
    }

    static ModelOptions options() {
        return ModelOptions.defaults().withThreads(2).withContextLength(256).withMaxBatch(128);
    }
}
