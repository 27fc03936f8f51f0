package dev.chorus.memory;

import java.util.List;

/**
 * Chooses which idle experts leave a tier first when room is needed. Only experts with no lease, no pin and no
 * transition in flight are offered, so a policy can never demote an expert that is serving a request.
 */
public interface EvictionPolicy {
    /** A short name for logs and metrics ("lru", "cost-aware"). */
    String name();

    /** The candidates in eviction order: the first is evicted first. Must return a permutation of the input. */
    List<EvictionCandidate> evictionOrder(List<EvictionCandidate> candidates);

    static EvictionPolicy byName(String name) {
        return switch (name) {
            case "lru" -> new LruPolicy();
            case "cost-aware", "cost" -> new CostAwarePolicy();
            default -> throw new IllegalArgumentException("unknown eviction policy '" + name
                    + "' (expected lru or cost-aware)");
        };
    }
}
