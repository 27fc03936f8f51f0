package dev.chorus.cli;

import dev.chorus.memory.ByteSize;
import dev.chorus.memory.EvictionPolicy;
import dev.chorus.memory.ExpertRuntime;
import dev.chorus.memory.ExpertStoreConfig;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The memory-tier options a command that hosts experts mixes in ({@code @Mixin MemoryTierOptions tiers;}), applied
 * to an {@link dev.chorus.memory.ExpertStore} builder with {@link #applyTo}.
 */
public final class MemoryTierOptions {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Option(names = "--hot-memory", defaultValue = "4g", paramLabel = "SIZE",
            description = "Budget of hot experts: mapped weights + KV cache + buffers, e.g. 4g (default ${DEFAULT-VALUE}).")
    String hotMemory;

    @Option(names = "--warm-memory", defaultValue = "8g", paramLabel = "SIZE",
            description = "Budget of warm experts: weights kept in the page cache, e.g. 8g (default ${DEFAULT-VALUE}).")
    String warmMemory;

    @Option(names = "--eviction", defaultValue = "cost-aware", paramLabel = "POLICY",
            description = "lru or cost-aware (evict the lowest request rate x reload time; default ${DEFAULT-VALUE}).")
    String eviction;

    @Option(names = "--keep-alive", paramLabel = "DURATION",
            description = "Idle hot experts go back to warm after this long, e.g. 5m, 30s (default: until evicted).")
    String keepAlive;

    public long hotBytes() {
        return ByteSize.parse(hotMemory);
    }

    public long warmBytes() {
        return ByteSize.parse(warmMemory);
    }

    public <R extends ExpertRuntime> ExpertStoreConfig.Builder<R> applyTo(ExpertStoreConfig.Builder<R> builder) {
        return builder.hotMemory(hotBytes()).warmMemory(warmBytes()).policy(EvictionPolicy.byName(eviction))
                .keepAlive(keepAlive == null ? null : parseDuration(keepAlive));
    }

    static Duration parseDuration(String text) {
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
