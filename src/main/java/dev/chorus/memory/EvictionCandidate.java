package dev.chorus.memory;

/**
 * An idle, evictable expert as an {@link EvictionPolicy} sees it.
 *
 * @param tier                 the tier it would be evicted from
 * @param bytes                bytes the eviction frees in that tier
 * @param lastUseNanos         when it was last acquired or prefetched (the store's nano clock)
 * @param requestsPerSecond    its recent request rate (exponentially decayed)
 * @param reloadNanos          the measured time to bring it back into this tier (0 when never measured)
 */
public record EvictionCandidate(String id, Tier tier, long bytes, long lastUseNanos, double requestsPerSecond,
                                long reloadNanos) {
    /** Expected reload time paid per second if evicted: request rate x reload time. */
    public double expectedReloadCost() {
        return requestsPerSecond * reloadNanos / 1e9;
    }
}
