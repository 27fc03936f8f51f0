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

    static ModelOptions options() {
        return ModelOptions.defaults().withThreads(2).withContextLength(256).withMaxBatch(128);
    }
}
