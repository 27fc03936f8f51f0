package dev.chorus.memory.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@code bench switch} measured. Switch overheads are as a request sees them: time to first token when its
 * expert is not the current one, minus the same when it is. Both are minimums over the repetitions (the uncontended
 * cost on a shared machine; the {@code _median} fields show the spread). Disk bandwidth is the best of the samples
 * taken beside each cold switch. Hot, warm and naive use the CPU time of the request's thread (uncontended cost);
 * cold is the wall time of the promotion the request waited for (it waits for the disk). {@code warm_to_hot_ms} is never below the warm -> hot transition the
 * request waited for ({@code warm_to_hot_transition_ms}, from the store's timer).
 */
public record SwitchResult(
        @JsonProperty("expert_bytes") long expertBytes,
        @JsonProperty("experts") int experts,
        @JsonProperty("workload") String workload,
        @JsonProperty("ttft_current_ms") double ttftCurrentMs,
        @JsonProperty("hot_switch_ms") double hotSwitchMs,
        @JsonProperty("warm_to_hot_ms") double warmToHotMs,
        @JsonProperty("warm_to_hot_transition_ms") double warmToHotTransitionMs,
        @JsonProperty("cold_to_hot_ms") double coldToHotMs,
        @JsonProperty("naive_reload_ms") double naiveReloadMs,
        @JsonProperty("disk_read_gb_s") double diskReadGbS,
        @JsonProperty("memory_copy_gb_s") double memoryCopyGbS,
        @JsonProperty("cold_read_gb_s") double coldReadGbS,
        @JsonProperty("cold_fraction_of_disk_bw") double coldFractionOfDiskBw,
        @JsonProperty("warm_speedup_vs_naive") double warmSpeedupVsNaive,
        @JsonProperty("cold_to_warm_page_cache_ms") double coldToWarmPageCacheMs,
        @JsonProperty("cold_to_warm_offheap_copy_ms") double coldToWarmOffHeapCopyMs,
        @JsonProperty("cold_resident_fraction_before") double coldResidentFractionBefore,
        @JsonProperty("hot_locked") boolean hotLocked,
        @JsonProperty("warm_to_hot_median_ms") double warmToHotMedianMs,
        @JsonProperty("cold_to_hot_median_ms") double coldToHotMedianMs,
        @JsonProperty("naive_reload_median_ms") double naiveReloadMedianMs,
        @JsonProperty("naive_cold_reload_ms") double naiveColdReloadMs,
        @JsonProperty("repetitions") int repetitions) {
}
