package dev.chorus.memory;

/** An exponentially decayed event rate (events per second over roughly the last {@code window}). Not thread-safe. */
final class RequestRate {
    private final double windowNanos;
    private double weight;
    private long lastNanos;

    RequestRate(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    void record(long nowNanos) {
        weight = decayed(nowNanos) + 1;
        lastNanos = nowNanos;
    }

    double perSecond(long nowNanos) {
        return decayed(nowNanos) / (windowNanos / 1e9);
    }

    private double decayed(long nowNanos) {
        return weight == 0 ? 0 : weight * Math.exp(-Math.max(0, nowNanos - lastNanos) / windowNanos);
    }
}
