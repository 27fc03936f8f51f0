package dev.chorus.memory;

import java.util.Comparator;
import java.util.List;

/** Least recently used first: the baseline. */
public final class LruPolicy implements EvictionPolicy {
    @Override
    public String name() {
        return "lru";
    }

    @Override
    public List<EvictionCandidate> evictionOrder(List<EvictionCandidate> candidates) {
        return candidates.stream().sorted(Comparator.comparingLong(EvictionCandidate::lastUseNanos)).toList();
    }
}
