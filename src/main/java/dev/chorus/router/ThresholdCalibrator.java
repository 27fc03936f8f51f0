package dev.chorus.router;

import dev.chorus.ChorusException;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Chooses the confidence threshold from labelled dev rows. Requests with confidence below the threshold go to the
 * fallback expert, so a higher threshold trades coverage for accuracy on the requests the router does place.
 */
public final class ThresholdCalibrator {
    /** The chosen threshold with the accuracy on the routed (non-fallback) rows and the fallback rate it gives. */
    public record Choice(double threshold, double routedAccuracy, double fallbackRate, int rows) {
    }

    private final double[] confidence;
    private final boolean[] correct;

    public ThresholdCalibrator(List<Classification> predicted, List<String> gold) {
        int n = predicted.size();
        if (n == 0 || n != gold.size()) {
            throw new IllegalArgumentException("need one gold label per prediction, and at least one row");
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> predicted.get(i).confidence()));
        confidence = new double[n];
        correct = new boolean[n];
        for (int r = 0; r < n; r++) {
            confidence[r] = predicted.get(order[r]).confidence();
            correct[r] = predicted.get(order[r]).category().equals(gold.get(order[r]));
        }
    }

    /** Result of falling back on the {@code cut} least confident rows (threshold = confidence of row {@code cut}). */
    private Choice cutAt(int cut) {
        int n = confidence.length;
        int ok = 0;
        for (int r = cut; r < n; r++) {
            ok += correct[r] ? 1 : 0;
        }
        double threshold = cut == 0 ? 0 : cut == n ? Math.nextUp(confidence[n - 1]) : confidence[cut];
        double accuracy = cut == n ? 1 : (double) ok / (n - cut);
        return new Choice(threshold, accuracy, (double) cut / n, n);
    }

    /** Valid cut points: a threshold cannot separate rows of equal confidence. */
    private boolean isCut(int cut) {
        return cut == 0 || cut == confidence.length || confidence[cut] > confidence[cut - 1];
    }

    /** The lowest threshold (most coverage) at which the routed rows reach {@code targetAccuracy}. */
    public Choice forTargetAccuracy(double targetAccuracy) {
        if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new ChorusException("--target-accuracy must be in (0, 1], got " + targetAccuracy);
        }
        for (int cut = 0; cut < confidence.length; cut++) {
            if (isCut(cut)) {
                Choice c = cutAt(cut);
                if (c.routedAccuracy() >= targetAccuracy) {
                    return c;
                }
            }
        }
        throw new ChorusException("no threshold reaches accuracy " + targetAccuracy
                + " on these rows without sending every request to the fallback expert");
    }

    /** The highest threshold whose fallback rate stays at or below {@code maxFallbackRate}. */
    public Choice forMaxFallbackRate(double maxFallbackRate) {
        if (!(maxFallbackRate >= 0 && maxFallbackRate <= 1)) {
            throw new ChorusException("--max-fallback-rate must be in [0, 1], got " + maxFallbackRate);
        }
        for (int cut = confidence.length; cut >= 0; cut--) {
            if (isCut(cut) && (double) cut / confidence.length <= maxFallbackRate) {
                return cutAt(cut);
            }
        }
        return cutAt(0);
    }
}
