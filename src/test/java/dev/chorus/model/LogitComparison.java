package dev.chorus.model;

/** Compares logits rows against a reference the way ../shared/reference/README.md defines its tolerances. */
record LogitComparison(double maxAbsDiff, double meanKl, double maxKl, int argmaxDisagreements,
                       int illegitimateFlips, int positions) {

    static LogitComparison of(Reference ref, float[][] ours) {
        double maxAbs = 0;
        double klSum = 0;
        double klMax = 0;
        int disagree = 0;
        int illegit = 0;
        for (int p = 0; p < ours.length; p++) {
            float[] r = ref.logits()[p];
            float[] o = ours[p];
            double rowMax = 0;
            for (int i = 0; i < r.length; i++) {
                rowMax = Math.max(rowMax, Math.abs(r[i] - o[i]));
            }
            maxAbs = Math.max(maxAbs, rowMax);
            double kl = kl(r, o);
            klSum += kl;
            klMax = Math.max(klMax, kl);
            if (argmax(r) != argmax(o)) {
                disagree++;
                if (ref.margin(p) >= 2 * rowMax) {
                    illegit++;
                }
            }
        }
        return new LogitComparison(maxAbs, klSum / ours.length, klMax, disagree, illegit, ours.length);
    }

    /** KL(reference || ours) in nats. */
    static double kl(float[] ref, float[] ours) {
        double lr = LogSoftmax.logSumExp(ref, 0, ref.length);
        double lo = LogSoftmax.logSumExp(ours, 0, ours.length);
        double kl = 0;
        for (int i = 0; i < ref.length; i++) {
            double pr = ref[i] - lr;
            double po = ours[i] - lo;
            kl += Math.exp(pr) * (pr - po);
        }
        return Math.max(0, kl);
    }

    static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    double argmaxAgreement() {
        return 1.0 - (double) argmaxDisagreements / positions;
    }
}
