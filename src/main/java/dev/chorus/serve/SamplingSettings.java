package dev.chorus.serve;

/** How to pick each next token. A null seed means a fresh random seed per request. */
public record SamplingSettings(double temperature, double topP, Long seed,
                               double presencePenalty, double frequencyPenalty) {
    public static final SamplingSettings DEFAULT = new SamplingSettings(1.0, 1.0, null, 0, 0);

    public static SamplingSettings greedy() {
        return new SamplingSettings(0, 1.0, 0L, 0, 0);
    }
}
