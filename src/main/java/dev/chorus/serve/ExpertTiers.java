package dev.chorus.serve;

import java.util.List;
import java.util.Map;

/**
 * The server's view of expert memory (the tiers issue's ExpertStore behind an adapter): states for
 * {@code /v1/experts}, bytes per tier for {@code /metrics}, and the operator actions load / unload / pin.
 */
public interface ExpertTiers {
    List<ExpertState> states();

    /** Bytes held in each tier ("hot", "warm"), for the tier-bytes gauge. */
    Map<String, Long> bytesByTier();

    /** Makes the expert hot (ready to run); returns when done. */
    void load(String expertId);

    /** Moves the expert out of hot memory (to warm); it is reloaded on its next request. */
    void unload(String expertId);

    /** Pins (never evicted) or unpins the expert. */
    void pin(String expertId, boolean pinned);
}
