package dev.chorus.memory;

import java.util.List;

/**
 * A consistent view of the store: per-tier usage and every expert's status, taken under the store lock.
 *
 * @param memlockLimit     the soft RLIMIT_MEMLOCK in bytes (-1 = unlimited)
 * @param lockingDegraded  null when hot experts are locked; otherwise why they are only resident, not locked
 */
public record MemorySnapshot(TierUsage hot, TierUsage warm, String policy, long memlockLimit,
                             String lockingDegraded, List<ExpertStatus> experts) {
    /** Used and capacity bytes of one tier; {@code highWater} is the most ever reserved. */
    public record TierUsage(Tier tier, long used, long capacity, long highWater) {
    }
}
