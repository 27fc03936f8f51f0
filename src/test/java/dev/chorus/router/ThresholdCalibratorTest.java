package dev.chorus.router;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ThresholdCalibratorTest {
    static final List<String> LABELS = List.of("x", "y");

    static Classification c(String label, double conf) {
        double[] p = label.equals("x") ? new double[]{conf, 1 - conf} : new double[]{1 - conf, conf};
        return new Classification(label, conf, p, LABELS);
    }

    // Confidences 0.5..0.95; the three least confident predictions are wrong.
    final List<Classification> predicted = new ArrayList<>();
    final List<String> gold = new ArrayList<>();

    {
        double[] conf = {0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95};
        for (int i = 0; i < conf.length; i++) {
            predicted.add(c("x", conf[i]));
            gold.add(i < 3 ? "y" : "x");
        }
    }

    @Test
    void targetAccuracyPicksTheLowestThresholdThatReachesIt() {
        ThresholdCalibrator.Choice choice = new ThresholdCalibrator(predicted, gold).forTargetAccuracy(1.0);
        assertThat(choice.threshold()).isEqualTo(0.65);
        assertThat(choice.fallbackRate()).isEqualTo(0.3);
        assertThat(choice.routedAccuracy()).isEqualTo(1.0);

        ThresholdCalibrator.Choice looser = new ThresholdCalibrator(predicted, gold).forTargetAccuracy(0.8);
        assertThat(looser.threshold()).isEqualTo(0.6); // at 0.55: 7/9 = 0.78 < 0.8; at 0.6: 7/8
        assertThat(looser.routedAccuracy()).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void maxFallbackRateBoundsTheShareSentToTheFallback() {
        ThresholdCalibrator calibrator = new ThresholdCalibrator(predicted, gold);
        ThresholdCalibrator.Choice choice = calibrator.forMaxFallbackRate(0.2);
        assertThat(choice.fallbackRate()).isEqualTo(0.2);
        assertThat(choice.threshold()).isEqualTo(0.6);
        assertThat(calibrator.forMaxFallbackRate(0).threshold()).isEqualTo(0);
        // Applying the threshold reproduces the promised rate.
        long below = predicted.stream().filter(p -> p.confidence() < choice.threshold()).count();
        assertThat(below).isEqualTo(2);
    }
}
