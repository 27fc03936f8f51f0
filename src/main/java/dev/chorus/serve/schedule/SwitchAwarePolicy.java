package dev.chorus.serve.schedule;

/**
 * Switch-aware order (after CoServe): keep serving the current, hot expert while its queue has work and no request
 * of another expert has waited longer than the fairness bound; then switch to the expert whose request is overdue
 * longest, or, when nobody is overdue, to the expert with the most waiting work (output tokens), so each expensive
 * switch buys as much batched work as possible.
 *
 * <p>Starvation bound: once another expert's request is overdue and the current expert has been served for at least
 * the bound, the running batch takes no more requests, drains, and the lane switches to the most overdue expert. A
 * request that arrives while another expert is served therefore waits at most the bound plus the time to drain one
 * batch (plus one switch). Under overload every request is overdue: experts then take turns, oldest request first,
 * each turn admitting requests for up to the bound, so switches stay amortised and nobody starves.
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
    public boolean mayJoin(String current, QueueView queues, long now, long servingSince) {
        if (current == null || queues.size(current) == 0) {
            return false;
        }
        // Another expert's request is overdue: stop growing this batch, unless this expert has been served for less
        // than the bound (under overload everybody is overdue, and each turn must still amortise its switch).
        return mostOverdue(current, queues, now) == null || now - servingSince < fairnessBoundNanos;
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
