package dev.chorus.serve.schedule.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** Both policies on one workload, their ratios, and one expert's batched decode speed by concurrent sequences. */
public record ServeBenchResult(
        @JsonProperty("setup") Map<String, Object> setup,
        @JsonProperty("policies") Map<String, PolicyResult> policies,
        @JsonProperty("throughput_ratio") double throughputRatio,
        @JsonProperty("p99_ratio") double p99Ratio,
        @JsonProperty("batched_decode_tokens_per_s") Map<String, Double> batchedDecode) {
}
