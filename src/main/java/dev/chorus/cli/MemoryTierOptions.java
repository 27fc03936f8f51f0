package dev.chorus.cli;

import dev.chorus.memory.ByteSize;
import dev.chorus.memory.EvictionPolicy;
import dev.chorus.memory.ExpertRuntime;
import dev.chorus.memory.ExpertStoreConfig;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The memory-tier options a command that hosts experts mixes in ({@code @Mixin MemoryTierOptions tiers;}), applied
 * to an {@link dev.chorus.memory.ExpertStore} builder with {@link #applyTo}.
 */
public final class MemoryTierOptions {
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
        return dev.chorus.serve.config.MemorySettings.parseDuration(text);
    }
}
