package dev.chorus.serve.schedule;

import dev.chorus.serve.GenerationJob;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Waiting requests, one arrival-ordered queue per expert. Not thread-safe: the scheduler guards it with its lock. */
final class ExpertQueues implements QueueView {
    private final Map<String, ArrayDeque<GenerationJob>> queues = new HashMap<>();
    private final Map<String, Long> work = new HashMap<>();
    private final Set<String> waiting = new LinkedHashSet<>();

    void add(GenerationJob job) {
        String id = job.expert().id();
        queues.computeIfAbsent(id, k -> new ArrayDeque<>()).addLast(job);
        work.merge(id, (long) job.request().maxTokens(), Long::sum);
        waiting.add(id);
    }

    /** Removes and returns the expert's oldest waiting job, or null. */
    GenerationJob poll(String expertId) {
        ArrayDeque<GenerationJob> q = queues.get(expertId);
        GenerationJob job = q == null ? null : q.pollFirst();
        if (job != null) {
            forget(expertId, job);
        }
        return job;
    }

    /** Removes the job if it is still waiting; true when it was. */
    boolean remove(GenerationJob job) {
        String id = job.expert().id();
        ArrayDeque<GenerationJob> q = queues.get(id);
        if (q != null && q.removeIf(j -> j == job)) {
            forget(id, job);
            return true;
        }
        return false;
    }

    private void forget(String id, GenerationJob job) {
        work.merge(id, -(long) job.request().maxTokens(), Long::sum);
        if (queues.get(id).isEmpty()) {
            waiting.remove(id);
        }
    }

    /** Every waiting job, emptying the queues (for closing). */
    java.util.List<GenerationJob> drain() {
        java.util.List<GenerationJob> all = new java.util.ArrayList<>();
        queues.values().forEach(all::addAll);
        queues.clear();
        work.clear();
        waiting.clear();
        return all;
    }

    @Override
    public Set<String> waitingExperts() {
        return Collections.unmodifiableSet(waiting);
    }

    @Override
    public int size(String expertId) {
        ArrayDeque<GenerationJob> q = queues.get(expertId);
        return q == null ? 0 : q.size();
    }

    @Override
    public long work(String expertId) {
        return work.getOrDefault(expertId, 0L);
    }

    @Override
    public long oldestArrival(String expertId) {
        ArrayDeque<GenerationJob> q = queues.get(expertId);
        return q == null || q.isEmpty() ? Long.MAX_VALUE : q.peekFirst().enqueuedNanos();
    }
}
