package dev.chorus.memory.bench;

import java.util.List;

/**
 * Timing samples from a shared, oversubscribed machine. Preemption only ever adds time, so the minimum over
 * repetitions estimates the uncontended cost; medians are kept beside it to show the spread.
 */
record Samples(double[] sorted) {
    Samples(List<Double> values) {
        this(values.stream().mapToDouble(Double::doubleValue).sorted().toArray());
    }

    static Samples cpu(List<Timing> timings) {
        return new Samples(timings.stream().map(Timing::cpuMs).toList());
    }

    static Samples wall(List<Timing> timings) {
        return new Samples(timings.stream().map(Timing::wallMs).toList());
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    double median() {
        int n = sorted.length;
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Switch overhead: this (TTFT after a switch) minus the TTFT with the expert current, both minimums. */
    double overhead(Samples current) {
        return min() - current.min();
    }

    double medianOverhead(Samples current) {
        return median() - current.median();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("[");
        for (double v : sorted) {
            b.append(b.length() > 1 ? " " : "").append(String.format(java.util.Locale.ROOT, "%.1f", v));
        }
        return b.append(']').toString();
    }
}
