package dev.chorus.serve.local;

import dev.chorus.serve.SamplingSettings;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Picks the next token from a row of logits as OpenAI's parameters ask: presence and frequency penalties over the
 * tokens generated so far, then temperature (0 = greedy), then nucleus (top_p) sampling with a seeded generator.
 * One instance per request; not thread-safe.
 */
final class TokenSampler {
    private final SamplingSettings settings;
    private final SplittableRandom random;
    private final Map<Integer, Integer> generatedCounts = new HashMap<>();

    TokenSampler(SamplingSettings settings) {
        this.settings = settings;
        this.random = settings.seed() != null ? new SplittableRandom(settings.seed()) : new SplittableRandom();
    }

    /** Chooses a token from {@code logits} (modified in place by the penalties) and remembers it. */
    int sample(float[] logits) {
        applyPenalties(logits);
        int chosen = settings.temperature() == 0 ? argmax(logits) : nucleus(logits);
        generatedCounts.merge(chosen, 1, Integer::sum);
        return chosen;
    }

    private void applyPenalties(float[] logits) {
        if (settings.presencePenalty() == 0 && settings.frequencyPenalty() == 0) {
            return;
        }
        for (Map.Entry<Integer, Integer> e : generatedCounts.entrySet()) {
            logits[e.getKey()] -= (float) (settings.frequencyPenalty() * e.getValue() + settings.presencePenalty());
        }
    }

    static int argmax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private int nucleus(float[] logits) {
        double invT = 1.0 / settings.temperature();
        float max = logits[argmax(logits)];
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp((logits[i] - max) * invT);
            sum += p[i];
        }
        Integer[] order = null;
        int kept = logits.length;
        if (settings.topP() < 1.0) {
            order = new Integer[logits.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            final double[] probs = p;
            Arrays.sort(order, (a, b) -> Double.compare(probs[b], probs[a]));
            double cumulative = 0;
            kept = 0;
            while (kept < order.length && cumulative < settings.topP() * sum) {
                cumulative += p[order[kept++]];
            }
            sum = cumulative;
        }
        double r = random.nextDouble() * sum;
        for (int k = 0; k < kept; k++) {
            int i = order == null ? k : order[k];
            r -= p[i];
            if (r <= 0) {
                return i;
            }
        }
        return order == null ? kept - 1 : order[kept - 1];
    }

    /** Natural-log probabilities of {@code logits} (the model's distribution, before sampling settings). */
    static double[] logSoftmax(float[] logits) {
        float max = logits[argmax(logits)];
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double logSum = Math.log(sum) + max;
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logSum;
        }
        return out;
    }
}
