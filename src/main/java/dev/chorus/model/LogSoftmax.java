package dev.chorus.model;

/** Log-probabilities from raw logits, in double precision. */
public final class LogSoftmax {
    private LogSoftmax() {
    }

    public static double logSumExp(float[] logits, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, logits[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.exp(logits[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /** ln softmax(logits)[token]. */
    public static double logProb(float[] logits, int offset, int n, int token) {
        return logits[offset + token] - logSumExp(logits, offset, n);
    }
}
