package dev.chorus.serve.schedule;

/**
 * First come, first served (Samba-CoE's order): requests start strictly in arrival order. The expert of the oldest
 * waiting request runs next; a waiting request joins the running batch only when it is the oldest of all, so a
 * request for another expert ends batching at once. Paired with LRU eviction and no prefetch it is the baseline.
 */
public record FcfsPolicy() implements SchedulingPolicy {
    @Override
    public String next(String current, QueueView queues, long now) {
        return queues.expertOfOldest();
    }

    @Override
    public boolean mayJoin(String current, QueueView queues, long now, long servingSince) {
        return current != null && current.equals(queues.expertOfOldest());
    }

    @Override
    public boolean prefetches() {
        return false;
    }

    @Override
    public String name() {
        return "fcfs-lru";
    }
}
