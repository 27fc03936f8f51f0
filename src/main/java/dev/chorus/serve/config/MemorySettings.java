package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Tier budgets (see the tiers issue): bytes of hot (ready to run) and warm (resident, not ready) expert weights. */
public record MemorySettings(
        @JsonProperty("hot_memory") ByteSize hotMemory,
        @JsonProperty("warm_memory") ByteSize warmMemory) {

    public static final ByteSize DEFAULT_HOT = ByteSize.parse("4g");
    public static final ByteSize DEFAULT_WARM = ByteSize.parse("8g");

    public static MemorySettings defaults() {
        return new MemorySettings(DEFAULT_HOT, DEFAULT_WARM);
    }

    public ByteSize hotOrDefault() {
        return hotMemory == null ? DEFAULT_HOT : hotMemory;
    }

    public ByteSize warmOrDefault() {
        return warmMemory == null ? DEFAULT_WARM : warmMemory;
    }
}
