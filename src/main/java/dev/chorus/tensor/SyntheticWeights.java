package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.Random;

/**
 * Random but valid weights of any supported type (random quant bits, sane fp16 scales), for tests and kernel
 * benchmarks.
 */
public final class SyntheticWeights {
    /** Byte offsets of the fp16 scale/min fields inside one block of each block type. */
    private static final Map<GgmlType, int[]> HALF_FIELDS = Map.of(
            GgmlType.Q8_0, new int[] {0}, GgmlType.Q4_0, new int[] {0}, GgmlType.Q4_1, new int[] {0, 2},
            GgmlType.Q5_0, new int[] {0}, GgmlType.Q5_1, new int[] {0, 2}, GgmlType.Q2_K, new int[] {80, 82},
            GgmlType.Q3_K, new int[] {108}, GgmlType.Q4_K, new int[] {0, 2}, GgmlType.Q5_K, new int[] {0, 2},
            GgmlType.Q6_K, new int[] {208});

    private SyntheticWeights() {
    }

    /** rows x cols random weights of the type, allocated in the arena. */
    public static MemorySegment of(GgmlType type, int rows, int cols, Random rnd, Arena arena) {
        long bytes = type.bytesFor((long) rows * cols);
        MemorySegment seg = arena.allocate(bytes, 64);
        switch (type) {
            case F32 -> {
                for (long i = 0; i < bytes / 4; i++) {
                    seg.set(Mem.FLOAT, 4 * i, (float) rnd.nextGaussian());
                }
            }
            case F16 -> {
                for (long i = 0; i < bytes / 2; i++) {
                    seg.set(Mem.SHORT, 2 * i, Float.floatToFloat16((float) rnd.nextGaussian()));
                }
            }
            case BF16 -> {
                for (long i = 0; i < bytes / 2; i++) {
                    seg.set(Mem.SHORT, 2 * i, Bf16.fromFloat((float) rnd.nextGaussian()));
                }
            }
            default -> {
                byte[] chunk = new byte[1 << 16];
                for (long at = 0; at < bytes; at += chunk.length) {
                    rnd.nextBytes(chunk);
                    int len = (int) Math.min(chunk.length, bytes - at);
                    MemorySegment.copy(chunk, 0, seg, ValueLayout.JAVA_BYTE, at, len);
                }
                int[] halves = HALF_FIELDS.get(type);
                for (long b = 0; b < bytes / type.bytesPerBlock(); b++) {
                    for (int f : halves) {
                        float v = (float) (0.001 + 0.05 * rnd.nextDouble()) * (f == 0 || rnd.nextBoolean() ? 1 : -1);
                        seg.set(Mem.SHORT, b * type.bytesPerBlock() + f, Float.floatToFloat16(v));
                    }
                }
            }
        }
        return seg;
    }

    /** n Gaussian activations with occasional outliers (x4), as transformer activations have. */
    public static float[] activations(int n, Random rnd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian() * (rnd.nextInt(10) == 0 ? 4f : 1f);
        }
        return x;
    }
}
