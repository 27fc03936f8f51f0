package dev.chorus.tensor.bench;

import dev.chorus.gguf.GgmlType;
import dev.chorus.tensor.Activations;
import dev.chorus.tensor.SyntheticWeights;
import dev.chorus.tensor.WeightMatrix;

import java.lang.foreign.Arena;
import java.lang.management.ManagementFactory;
import java.util.Random;

/**
 * A quick A/B of kernel throughput for several types in one JVM (so the JIT sees them all, as in a mixed-type model):
 * best of 15 rounds of 0.1 s per type, in G multiply-adds/s and GB/s of weights, plus the bytes allocated per call
 * (must be 0: an allocation means the JIT boxed vectors). "Per CPU second" divides by the thread's CPU time instead of
 * the wall clock, which keeps A/B comparisons usable while other processes load the machine. Usage: {@code java --add-modules jdk.incubator.vector -cp
 * target/chorus.jar dev.chorus.tensor.bench.KernelThroughput Q8_0,Q4_0,Q4_K [n] [rows] [cols]}.
 */
public final class KernelThroughput {
    private KernelThroughput() {
    }

    public static void main(String[] args) {
        String[] types = (args.length > 0 ? args[0] : "Q8_0,Q4_0,Q5_0,Q4_K,Q6_K").split(",");
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int rows = args.length > 2 ? Integer.parseInt(args[2]) : 1536;
        int cols = args.length > 3 ? Integer.parseInt(args[3]) : 768;
        Random rnd = new Random(1);
        float[] x = SyntheticWeights.activations(cols * n, rnd);
        float[] out = new float[rows * n];
        try (Arena arena = Arena.ofConfined()) {
            WeightMatrix[] ms = new WeightMatrix[types.length];
            Activations[] as = new Activations[types.length];
            for (int i = 0; i < types.length; i++) {
                GgmlType t = GgmlType.valueOf(types[i]);
                ms[i] = WeightMatrix.of(t, SyntheticWeights.of(t, rows, cols, rnd, arena), rows, cols);
                as[i] = ms[i].prepare(x, n, new Activations());
            }
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            double[] best = new double[types.length];
            double[] bestCpu = new double[types.length];
            for (int round = 0; round < 15; round++) {
                for (int i = 0; i < types.length; i++) {
                    long t0 = System.nanoTime();
                    long c0 = threads.getCurrentThreadCpuTime();
                    int calls = 0;
                    while (System.nanoTime() - t0 < 100_000_000L) {
                        ms[i].matMul(as[i], out, 0, rows);
                        calls++;
                    }
                    double work = (double) rows * cols * n * calls;
                    best[i] = Math.max(best[i], work / ((System.nanoTime() - t0) / 1e9));
                    // per CPU second: robust to other processes taking the core away (no SMT on these hosts)
                    bestCpu[i] = Math.max(bestCpu[i], work / ((threads.getCurrentThreadCpuTime() - c0) / 1e9));
                }
            }
            for (int i = 0; i < types.length; i++) {
                long before = threads.getCurrentThreadAllocatedBytes();
                ms[i].matMul(as[i], out, 0, rows);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                GgmlType t = ms[i].type();
                System.out.printf("%-5s n=%d %dx%d: %.2f G multiply-adds/s (%.2f per CPU second), %.2f GB/s of weights,"
                                + " %d bytes allocated/call%n", t, n, rows, cols, best[i] / 1e9, bestCpu[i] / 1e9,
                        best[i] / n * t.bytesPerBlock() / t.blockSize() / 1e9, allocated);
            }
        }
    }
}
