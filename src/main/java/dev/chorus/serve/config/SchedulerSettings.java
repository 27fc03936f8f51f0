package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How local experts share the compute: {@code policy} {@code switch-aware} (default: keep the hot expert busy,
 * batch its requests, prefetch the next experts, cost-aware eviction) or {@code fcfs-lru} (first come first served
 * with LRU eviction, the baseline), or {@code fifo} (one thread per request, no batching; the first server's);
 * {@code fairness_ms}: how long a request may wait while another expert is kept hot; {@code max_batch}: sequences
 * decoded together per expert (default: {@code server.parallel}; each hot expert reserves KV room for that many). {@code remote_retries}: attempts after the first for a failing remote expert.
 */
public record SchedulerSettings(
        @JsonProperty("policy") String policy,
        @JsonProperty("fairness_ms") Integer fairnessMillis,
        @JsonProperty("max_batch") Integer maxBatch,
        @JsonProperty("remote_retries") Integer remoteRetries) {
    public static final String DEFAULT_POLICY = "switch-aware";
    public static final int DEFAULT_FAIRNESS_MS = 2000;
    public static final int DEFAULT_REMOTE_RETRIES = 2;
    public static final java.util.List<String> POLICIES = java.util.List.of("switch-aware", "fcfs-lru", "fifo");

    public static SchedulerSettings defaults() {
        return new SchedulerSettings(null, null, null, null);
    }

    public String policyOrDefault() {
        return policy == null ? DEFAULT_POLICY : policy;
    }

    public int fairnessMillisOrDefault() {
        return fairnessMillis == null ? DEFAULT_FAIRNESS_MS : fairnessMillis;
    }

    /** Sequences batched per expert: {@code max_batch}, or {@code server.parallel} when unset. */
    public int maxBatchOrDefault(int parallel) {
        return maxBatch == null ? parallel : maxBatch;
    }

    public int remoteRetriesOrDefault() {
        return remoteRetries == null ? DEFAULT_REMOTE_RETRIES : remoteRetries;
    }

    /** Problems with the values, for the config validator. */
    public java.util.List<String> problems() {
        java.util.List<String> p = new java.util.ArrayList<>();
        if (!POLICIES.contains(policyOrDefault())) {
            p.add("scheduler.policy: unknown policy '" + policy + "' (known: " + String.join(", ", POLICIES) + ")");
        }
        if (fairnessMillisOrDefault() < 0) {
            p.add("scheduler.fairness_ms must not be negative");
        }
        if (maxBatch != null && (maxBatch < 1 || maxBatch > 64)) {
            p.add("scheduler.max_batch must be between 1 and 64");
        }
        if (remoteRetriesOrDefault() < 0 || remoteRetriesOrDefault() > 10) {
            p.add("scheduler.remote_retries must be between 0 and 10");
        }
        return p;
    }
}
