package dev.chorus.serve.schedule;

/**
 * Decides which expert the (single) compute lane serves and which waiting requests join its running batch. Called
 * under the scheduler's lock at every step boundary; must be cheap and deterministic (time comes in as {@code now}).
 */
public sealed interface SchedulingPolicy permits FcfsPolicy, SwitchAwarePolicy {
    /** The expert to serve next, given the one served last (null at first); null when nothing waits. */
    String next(String current, QueueView queues, long now);

    /**
     * Whether the oldest waiting request of {@code current} may join its running batch now; {@code servingSince} is
     * when the lane started serving {@code current} this time.
     */
    boolean mayJoin(String current, QueueView queues, long now, long servingSince);

    /** Whether the scheduler should prefetch the experts of waiting requests while it serves another. */
    boolean prefetches();

    String name();

    /** Parses {@code scheduler.policy}: {@code fcfs-lru} or {@code switch-aware} (alias {@code chorus}). */
    static SchedulingPolicy byName(String name, long fairnessBoundNanos) {
        return switch (name) {
            case "fcfs-lru", "fcfs" -> new FcfsPolicy();
            case "switch-aware", "chorus" -> new SwitchAwarePolicy(fairnessBoundNanos);
            default -> throw new IllegalArgumentException("unknown scheduler policy '" + name
                    + "' (known: fcfs-lru, switch-aware)");
        };
    }
}
