package dev.chorus.router.calibration;

import dev.chorus.ChorusException;
import dev.chorus.model.Model;
import dev.chorus.model.ModelOptions;
import dev.chorus.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/** {@link TokenScorer} over a GGUF model run by Chorus's own inference engine. */
public final class EngineTokenScorer implements TokenScorer {
    private final Model model;
    private final Tokenizer tokenizer;

    private EngineTokenScorer(Model model) {
        this.model = model;
        this.tokenizer = Tokenizer.fromGguf(model.metadata());
        if (tokenizer.bos() < 0) {
            throw new ChorusException(model.file().path() + ": the vocabulary has no BOS token to score with");
        }
    }

    /**
     * Opens {@code gguf} with batches as long as a scoring window (one forward pass per window), on the calling
     * thread only: calibration models are small, and a worker pool gains nothing on them while waiting for its
     * workers costs a lot on a busy machine.
     */
    public static EngineTokenScorer open(Path gguf, int window) throws IOException {
        ModelOptions options = ModelOptions.defaults()
                .withThreads(1)
                .withContextLength(window)
                .withMaxBatch(window);
        return new EngineTokenScorer(Model.open(gguf, options));
    }

    @Override
    public int[] tokenize(String text, boolean addBos) {
        int[] ids = tokenizer.encode(text, false, false);
        if (!addBos) {
            return ids;
        }
        int[] out = new int[ids.length + 1];
        out[0] = tokenizer.bos();
        System.arraycopy(ids, 0, out, 1, ids.length);
        return out;
    }

    @Override
    public int bosToken() {
        return tokenizer.bos();
    }

    @Override
    public double[] nextTokenLogProbs(int[] tokens) {
        return model.tokenLogProbs(new int[]{tokens[0]}, Arrays.copyOfRange(tokens, 1, tokens.length));
    }

    @Override
    public void close() {
        model.close();
    }
}
