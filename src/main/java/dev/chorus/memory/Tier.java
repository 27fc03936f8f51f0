package dev.chorus.memory;

/**
 * Where an expert's weights are. Ordered from slowest to fastest; each tier is exclusive (an expert's bytes count
 * against the budget of the one tier it is in). A device tier (GPU memory) would be added above {@link #HOT}, with HOT
 * as its host staging tier: see docs/ARCHITECTURE.md, "Memory tiers".
 */
public enum Tier {
    /** On disk only: the file's pages were dropped from the page cache. */
    COLD,
    /** The file's bytes are resident in the page cache and mapped; no runtime state; may be evicted by the OS. */
    WARM,
    /** Ready to run: mapped, resident, locked where permitted, runtime state (KV cache, buffers) allocated. */
    HOT
}
