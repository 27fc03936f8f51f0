package dev.chorus.serve.schedule;

import java.util.Set;

/** What a {@link SchedulingPolicy} may look at: the waiting requests per expert, read under the scheduler's lock. */
public interface QueueView {
    /** Experts with at least one waiting request. */
    Set<String> waitingExperts();

    /** Requests waiting for the expert. */
    int size(String expertId);

    /** Sum of the waiting requests' output-token limits: the work an expert's queue holds. */
    long work(String expertId);

    /** When the expert's oldest waiting request arrived (nanoseconds), or Long.MAX_VALUE when none waits. */
    long oldestArrival(String expertId);

    /** The expert whose waiting request is the oldest of all, or null when nothing waits. */
    default String expertOfOldest() {
        String best = null;
        long oldest = Long.MAX_VALUE;
        for (String e : waitingExperts()) {
            long t = oldestArrival(e);
            if (t < oldest) {
                oldest = t;
                best = e;
            }
        }
        return best;
    }
}
