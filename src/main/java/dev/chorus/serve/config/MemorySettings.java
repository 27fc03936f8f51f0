package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.chorus.memory.EvictionPolicy;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tier settings (see the tiers issue): bytes of hot (ready to run) and warm (resident, not ready) expert weights,
 * the eviction policy ({@code lru} or {@code cost-aware}, the default) and the keep-alive after which an idle
 * hot expert goes back to warm (e.g. {@code 5m}; unset: it stays hot until evicted).
 */
public record MemorySettings(
        @JsonProperty("hot_memory") ByteSize hotMemory,
        @JsonProperty("warm_memory") ByteSize warmMemory,
        @JsonProperty("eviction") String eviction,
        @JsonProperty("keep_alive") String keepAlive) {

    public static final ByteSize DEFAULT_HOT = ByteSize.parse("4g");
    public static final ByteSize DEFAULT_WARM = ByteSize.parse("8g");
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    public MemorySettings(ByteSize hotMemory, ByteSize warmMemory) {
        this(hotMemory, warmMemory, null, null);
    }

    public static MemorySettings defaults() {
        return new MemorySettings(DEFAULT_HOT, DEFAULT_WARM);
    }

    public ByteSize hotOrDefault() {
        return hotMemory == null ? DEFAULT_HOT : hotMemory;
    }

    public ByteSize warmOrDefault() {
        return warmMemory == null ? DEFAULT_WARM : warmMemory;
    }

    /** The eviction policy named by {@code eviction}, cost-aware when unset (as the CLI's --eviction). */
    public EvictionPolicy policy() {
        return EvictionPolicy.byName(eviction == null ? "cost-aware" : eviction.trim().toLowerCase(Locale.ROOT));
    }

    /** The keep-alive as a duration, null when unset. */
    public Duration keepAliveDuration() {
        return keepAlive == null ? null : parseDuration(keepAlive);
    }

    /** These settings with each non-null argument replacing its field (command-line options over the file). */
    public MemorySettings overriddenBy(ByteSize hot, ByteSize warm, String evictionPolicy, String keepAliveText) {
        return new MemorySettings(hot != null ? hot : hotMemory, warm != null ? warm : warmMemory,
                evictionPolicy != null ? evictionPolicy : eviction, keepAliveText != null ? keepAliveText : keepAlive);
    }

    /** Parses 500ms, 30s, 5m, 1.5h. */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration '" + text + "' (expected e.g. 500ms, 30s, 5m, 1h)");
        }
        double value = Double.parseDouble(m.group(1));
        double millis = switch (m.group(2)) {
            case "ms" -> value;
            case "s" -> value * 1e3;
            case "m" -> value * 60e3;
            default -> value * 3600e3;
        };
        return Duration.ofMillis(Math.round(millis));
    }
}
