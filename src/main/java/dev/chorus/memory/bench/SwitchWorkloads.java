package dev.chorus.memory.bench;

/** The workloads {@code bench switch} can run. */
public final class SwitchWorkloads {
    private SwitchWorkloads() {
    }

    /** {@code engine}: the Chorus engine on real model files; {@code mapped}: weights only, no arithmetic. */
    public static SwitchWorkload<?> byName(String name, int threads, int contextLength, int promptTokens) {
        return switch (name) {
            case "engine" -> new EngineWorkload(threads, contextLength, promptTokens);
            case "mapped" -> new MappedFileWorkload();
            default -> throw new IllegalArgumentException("unknown workload '" + name + "' (expected engine or mapped)");
        };
    }
}
