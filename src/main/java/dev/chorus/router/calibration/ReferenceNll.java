package dev.chorus.router.calibration;

/** Negative log-likelihood (nats) of a reference continuation: total over its {@code tokens} scored tokens. */
public record ReferenceNll(double sum, int tokens) {
    public double mean() {
        return tokens == 0 ? Double.NaN : sum / tokens;
    }
}
