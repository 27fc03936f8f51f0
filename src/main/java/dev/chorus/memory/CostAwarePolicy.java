package dev.chorus.memory;

import java.util.Comparator;
import java.util.List;

/**
 * Evicts the expert whose eviction is expected to cost least: recent request rate x measured reload time. A rarely
 * used expert that reloads quickly goes before a popular or slow-to-load one; ties fall back to least recently used.
 */
public final class CostAwarePolicy implements EvictionPolicy {
    @Override
    public String name() {
        return "cost-aware";
    }

    @Override
    public List<EvictionCandidate> evictionOrder(List<EvictionCandidate> candidates) {
        return candidates.stream()
                .sorted(Comparator.comparingDouble(EvictionCandidate::expectedReloadCost)
                        .thenComparingLong(EvictionCandidate::lastUseNanos))
                .toList();
    }
}
