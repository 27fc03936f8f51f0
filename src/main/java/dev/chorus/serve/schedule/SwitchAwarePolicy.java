package dev.chorus.serve.schedule;

/**
 * Switch-aware order (after CoServe): keep serving the current, hot expert while its queue has work and no request
 * of another expert has waited longer than the fairness bound; then switch to the expert whose request is overdue
 * longest, or, when nobody is overdue, to the expert with the most waiting work (output tokens), so each expensive
 * switch buys as much batched work as possible.
 *
 * <p>Starvation bound: once another expert's oldest request is overdue, the running batch takes no request younger
 * than it, so when the load is sustainable that request waits at most the bound plus the time to drain one batch
 * (plus one switch); under overload, overdue requests are served oldest first (batched per expert), so nobody
 * starves.
 */
public record SwitchAwarePolicy(long fairnessBoundNanos) implements SchedulingPolicy {
    public SwitchAwarePolicy {
        if (fairnessBoundNanos < 0) {
            throw new IllegalArgumentException("the fairness bound must not be negative");
        }
    }

    @Override
    public String next(String current, QueueView queues, long now) {
        String overdue = mostOverdue(null, queues, now);
        if (overdue != null) {
            return overdue;
        }
        if (current != null && queues.size(current) > 0) {
            return current;
        }
        String best = null;
        for (String e : queues.waitingExperts()) {
            if (best == null || queues.work(e) > queues.work(best)
                    || queues.work(e) == queues.work(best) && queues.oldestArrival(e) < queues.oldestArrival(best)) {
                best = e;
            }
        }
        return best;
    }

    @Override
    public boolean mayJoin(String current, QueueView queues, long now) {
        if (current == null || queues.size(current) == 0) {
            return false;
        }
        // Once another expert has an overdue request, only a queue whose oldest request is older still grows the
        // batch: overdue work is served oldest first, in batches.
        String overdue = mostOverdue(current, queues, now);
        return overdue == null || queues.oldestArrival(current) < queues.oldestArrival(overdue);
    }

    /** The expert (other than {@code except}) whose oldest request waited longest beyond the bound, or null. */
    private String mostOverdue(String except, QueueView queues, long now) {
        String worst = null;
        long oldest = now - fairnessBoundNanos;
        for (String e : queues.waitingExperts()) {
            long t = queues.oldestArrival(e);
            if (!e.equals(except) && t < oldest) {
                oldest = t;
                worst = e;
            }
        }
        return worst;
    }

    @Override
    public boolean prefetches() {
        return true;
    }

    @Override
    public String name() {
        return "switch-aware";
    }
}
