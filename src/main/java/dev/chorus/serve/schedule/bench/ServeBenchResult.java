package dev.chorus.serve.schedule.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/**
 * Both policies on one workload, their ratios, and one expert's batched decode speed by concurrent sequences.
 * {@code batching_ceiling_ratio}: the throughput ratio the two policies' mean batches alone would give on this machine
 * (batched decode speed at chorus's tokens per pass over that at fcfs-lru's), i.e. with switches and waits free.
 */
public record ServeBenchResult(
        @JsonProperty("setup") Map<String, Object> setup,
        @JsonProperty("policies") Map<String, PolicyResult> policies,
        @JsonProperty("throughput_ratio") double throughputRatio,
        @JsonProperty("p99_ratio") double p99Ratio,
        @JsonProperty("batched_decode_tokens_per_s") Map<String, Double> batchedDecode,
        @JsonProperty("batching_ceiling_ratio") double batchingCeilingRatio) {
}
