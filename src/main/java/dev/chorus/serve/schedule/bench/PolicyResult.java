package dev.chorus.serve.schedule.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One policy's run of the serve benchmark. Latencies are from arrival (submit) to the last token; TTFT to the first.
 * {@code tokens_per_pass}: tokens generated per forward pass, the mean batch the policy achieved.
 */
public record PolicyResult(
        @JsonProperty("requests") int requests,
        @JsonProperty("failed") int failed,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("requests_per_s") double requestsPerSecond,
        @JsonProperty("tokens_per_s") double tokensPerSecond,
        @JsonProperty("latency_p50_ms") double latencyP50,
        @JsonProperty("latency_p99_ms") double latencyP99,
        @JsonProperty("ttft_p50_ms") double ttftP50,
        @JsonProperty("ttft_p99_ms") double ttftP99,
        @JsonProperty("switches") long switches,
        @JsonProperty("forward_passes") long forwardPasses,
        @JsonProperty("disk_loads") long diskLoads,
        @JsonProperty("hot_loads") long hotLoads,
        @JsonProperty("bytes_loaded") long bytesLoaded,
        @JsonProperty("tokens_per_pass") double tokensPerPass) {
}
