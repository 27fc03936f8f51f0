package dev.chorus.model;

import dev.chorus.ChorusException;

import java.util.ArrayList;
import java.util.List;

/**
 * Perplexity exactly as llama.cpp's llama-perplexity computes it (default mode): the tokens are cut into
 * floor(n / ctx) chunks of ctx tokens; each chunk starts from an empty cache with its first token replaced by BOS; only
 * the second half is scored (logits at positions ctx/2 .. ctx-2 predict the next token); the value printed after chunk
 * i is the running perplexity over chunks 1..i.
 */
public final class Perplexity {
    /**
     * @param runningPpl  after each chunk, exp(total NLL / scored tokens so far), as llama-perplexity prints
     * @param chunkPpl    each chunk's own perplexity
     * @param stderr      llama-perplexity's "+/-" value
     */
    public record Result(double ppl, double stderr, int inputTokens, int scoredTokens, List<Double> runningPpl,
                         List<Double> chunkPpl) {
    }

    /** Receives progress after each chunk. */
    @FunctionalInterface
    public interface Progress {
        void chunkDone(int chunk, double runningPpl);
    }

    private Perplexity() {
    }

    /** @param bos the id that replaces each chunk's first token, or -1 to keep it (vocabularies without BOS) */
    public static Result compute(Model model, int[] tokens, int ctx, int bos, Progress progress) {
        if (ctx < 4) {
            throw new ChorusException("--ctx must be at least 4, got " + ctx);
        }
        if (ctx > model.contextLength()) {
            throw new ChorusException("--ctx " + ctx + " exceeds the context length " + model.contextLength());
        }
        int chunks = tokens.length / ctx;
        if (chunks == 0) {
            throw new ChorusException("the text has " + tokens.length + " tokens, fewer than one chunk of " + ctx);
        }
        int first = ctx / 2;
        Engine engine = model.newEngine();
        Batch batch = new Batch(Math.min(ctx, model.options().maxBatch()));
        double nll = 0;
        double nll2 = 0;
        int count = 0;
        List<Double> running = new ArrayList<>();
        List<Double> perChunk = new ArrayList<>();
        for (int c = 0; c < chunks; c++) {
            int start = c * ctx;
            double chunkNll = 0;
            try (Sequence seq = model.newSequence()) {
                for (int from = 0; from < ctx; from += batch.capacity()) {
                    int to = Math.min(ctx, from + batch.capacity());
                    batch.clear();
                    for (int j = from; j < to; j++) {
                        int token = j == 0 && bos >= 0 ? bos : tokens[start + j];
                        batch.add(seq, j, token, j >= first && j < ctx - 1);
                    }
                    Logits logits = engine.forward(batch);
                    for (int r = 0; r < logits.rows(); r++) {
                        int j = batch.position(logits.entry(r));
                        double v = -logSoftmaxLikeLlamaCpp(logits.array(), logits.offset(r), logits.vocabSize(),
                                tokens[start + j + 1]);
                        chunkNll += v;
                        nll += v;
                        nll2 += v * v;
                        count++;
                    }
                }
            }
            perChunk.add(Math.exp(chunkNll / (ctx - 1 - first)));
            running.add(Math.exp(nll / count));
            if (progress != null) {
                progress.chunkDone(c + 1, running.getLast());
            }
        }
        double mean = nll / count;
        double mean2 = nll2 / count - mean * mean;
        double ppl = Math.exp(mean);
        double stderr = mean2 > 0 ? Math.sqrt(mean2 / (count - 1)) * ppl : 0;
        return new Result(ppl, stderr, tokens.length, count, List.copyOf(running), List.copyOf(perChunk));
    }

    /** log softmax of one logit: float max, exp of float differences summed in double (perplexity.cpp). */
    static double logSoftmaxLikeLlamaCpp(float[] logits, int offset, int n, int token) {
        float max = logits[offset];
        for (int i = 1; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return logits[offset + token] - max - Math.log(sum);
    }
}
