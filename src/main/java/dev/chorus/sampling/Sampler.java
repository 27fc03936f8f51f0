package dev.chorus.sampling;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits, in llama.cpp's default order: penalties, top-k, top-p, min-p,
 * temperature, then a seeded draw. Keeps its buffers between calls (vocabularies of 150k tokens are common), so a
 * decode step does not allocate. Not thread-safe: one sampler per sequence.
 */
public final class Sampler {
    private final SamplerConfig config;
    private final SplittableRandom random;
    private int[] candidates = new int[0];
    private float[] values = new float[0];
    private long[] sortKeys = new long[0];
    private int[] counts = new int[0];

    public Sampler(SamplerConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
    }

    public SamplerConfig config() {
        return config;
    }

    /**
     * Samples a token from logits[offset .. offset + vocab). The penalties modify that row in place.
     *
     * @param history the sequence's tokens so far; may be null when no penalty is configured
     */
    public int sample(float[] logits, int offset, int vocab, TokenHistory history) {
        return sample(logits, offset, vocab, history, null);
    }

    /**
     * Samples as above among the tokens {@code constraint} allows (null: all), after the penalties and before the
     * truncations, so top-k / top-p / min-p see only tokens that may come; -1 when the constraint allows none.
     */
    public int sample(float[] logits, int offset, int vocab, TokenHistory history, TokenConstraint constraint) {
        if (config.hasPenalties() && history != null) {
            applyPenalties(logits, offset, vocab, history);
        }
        if (constraint != null && constraint.mask(logits, offset, vocab) == 0) {
            return -1;
        }
        if (config.isGreedy()) {
            return argmax(logits, offset, vocab);
        }
        int n = config.topK() > 0 && config.topK() < vocab ? topK(logits, offset, vocab, config.topK())
                : sortAll(logits, offset, vocab);
        // candidates[0..n) now sorted by descending logit; values[i] = their logits
        n = softmaxAndTruncate(n);
        return draw(n);
    }

    public static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        float bestValue = logits[offset];
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > bestValue) {
                bestValue = logits[offset + i];
                best = i;
            }
        }
        return best;
    }

    private void applyPenalties(float[] logits, int offset, int vocab, TokenHistory history) {
        if (counts.length < vocab) {
            counts = new int[vocab];
        }
        int from = config.penaltyLastN() < 0 ? 0 : Math.max(0, history.size() - config.penaltyLastN());
        for (int i = from; i < history.size(); i++) {
            counts[history.get(i)]++;
        }
        for (int i = from; i < history.size(); i++) {
            int t = history.get(i);
            int c = counts[t];
            if (c == 0) {
                continue; // already penalized
            }
            float l = logits[offset + t];
            l = l <= 0 ? l * config.repeatPenalty() : l / config.repeatPenalty();
            l -= c * config.frequencyPenalty() + config.presencePenalty();
            logits[offset + t] = l;
            counts[t] = 0;
        }
    }

    private void ensure(int n) {
        if (candidates.length < n) {
            candidates = new int[n];
            values = new float[n];
        }
    }

    /** The k largest logits, sorted descending, by a bounded selection (no full sort of the vocabulary). */
    private int topK(float[] logits, int offset, int vocab, int k) {
        ensure(k);
        // insertion into a sorted prefix: fine for the usual k (tens); the threshold check skips most tokens
        int n = 0;
        for (int i = 0; i < vocab; i++) {
            float v = logits[offset + i];
            if (n == k && v <= values[k - 1]) {
                continue;
            }
            int j = n < k ? n++ : k - 1;
            while (j > 0 && values[j - 1] < v) {
                values[j] = values[j - 1];
                candidates[j] = candidates[j - 1];
                j--;
            }
            values[j] = v;
            candidates[j] = i;
        }
        return n;
    }

    /** All tokens sorted by descending logit (ties by id). */
    private int sortAll(float[] logits, int offset, int vocab) {
        ensure(vocab);
        if (sortKeys.length < vocab) {
            sortKeys = new long[vocab];
        }
        for (int i = 0; i < vocab; i++) {
            int bits = Float.floatToIntBits(logits[offset + i]);
            int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff; // total order of floats as signed ints
            sortKeys[i] = ((long) ~ordered << 32) | i;          // ascending key = descending logit
        }
        Arrays.sort(sortKeys, 0, vocab);
        for (int i = 0; i < vocab; i++) {
            int id = (int) sortKeys[i];
            candidates[i] = id;
            values[i] = logits[offset + id];
        }
        return vocab;
    }

    /** Applies top-p, min-p and temperature to the sorted candidates; leaves unnormalized weights in values. */
    private int softmaxAndTruncate(int n) {
        float max = values[0];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float p = (float) Math.exp(values[i] - max);
            values[i] = p;
            sum += p;
        }
        if (config.topP() < 1f) {
            double cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += values[i] / sum;
                if (cumulative >= config.topP()) {
                    n = i + 1;
                    break;
                }
            }
        }
        if (config.minP() > 0f) {
            float threshold = values[0] * config.minP();
            int keep = 1;
            while (keep < n && values[keep] >= threshold) {
                keep++;
            }
            n = keep;
        }
        // temperature on the kept logits: p_i^(1/T) = exp((l_i - max) / T)
        float invT = 1f / config.temperature();
        for (int i = 0; i < n; i++) {
            values[i] = (float) Math.exp(Math.log(values[i]) * invT);
        }
        return n;
    }

    private int draw(int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += values[i];
        }
        double u = random.nextDouble() * sum;
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += values[i];
            if (u < acc) {
                return candidates[i];
            }
        }
        return candidates[n - 1];
    }
}
