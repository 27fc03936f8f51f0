package dev.chorus.tensor.bench;

import dev.chorus.gguf.GgmlType;
import dev.chorus.tensor.Activations;
import dev.chorus.tensor.ComputePool;
import dev.chorus.tensor.Kernels;
import dev.chorus.tensor.SyntheticWeights;
import dev.chorus.tensor.WeightMatrix;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Weight-matrix products at real model shapes (SmolLM2-135M: 576x1536, 1536x576, 49152x576; Qwen2.5-0.5B: 896x4864,
 * 4864x896), against a same-run baseline that reads the same bytes (a vectorized sum of longs). Scores are calls per
 * second; {@link KernelBench} turns them into GB/s of weights.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 400, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class MatVecBenchmark {
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;

    @Param({"Q8_0", "Q4_0", "Q4_K"})
    public String type;

    /** rows x cols. */
    @Param({"576x1536", "1536x576", "49152x576", "896x4864", "4864x896"})
    public String shape;

    /** Activation vectors per call for the batched (prefill) benchmark. */
    @Param({"32"})
    public int batch;

    private Arena arena;
    private MemorySegment data;
    private WeightMatrix w;
    private float[] x;
    private float[] xs;
    private float[] out;
    private float[] outs;
    private ComputePool pool2;
    private final Activations prepared = new Activations();

    @Setup(Level.Trial)
    public void setUp() {
        String[] rc = shape.split("x");
        int rows = Integer.parseInt(rc[0]);
        int cols = Integer.parseInt(rc[1]);
        Random rnd = new Random(42);
        arena = Arena.ofShared();
        GgmlType t = GgmlType.valueOf(type);
        data = SyntheticWeights.of(t, rows, cols, rnd, arena);
        w = WeightMatrix.of(t, data, rows, cols);
        x = SyntheticWeights.activations(cols, rnd);
        xs = SyntheticWeights.activations(cols * batch, rnd);
        out = new float[rows];
        outs = new float[rows * batch];
        pool2 = new ComputePool(2);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool2.close();
        arena.close();
    }

    /** One decode step's product on one thread, activation quantization included. */
    @Benchmark
    public float matVec1T() {
        w.matVec(x, out, 0, w.rows());
        return out[0];
    }

    /** The same on two threads (the calling thread and one pool worker). */
    @Benchmark
    public float matVec2T() {
        Kernels.matVec(pool2, w, x, out);
        return out[0];
    }

    /** A prefill product of {@code batch} vectors on two threads. */
    @Benchmark
    public float matMul2T() {
        Kernels.matMul(pool2, w, w.prepare(xs, batch, prepared), outs);
        return outs[0];
    }

    /** Baseline: read the same bytes on one thread. */
    @Benchmark
    public long read1T() {
        return sum(data, 0, data.byteSize());
    }

    /** Baseline: read the same bytes on two threads. */
    @Benchmark
    public long read2T() {
        long[] parts = new long[2];
        long half = (data.byteSize() / 2) & ~63L;
        pool2.parallelFor(2, i -> parts[i] = i == 0 ? sum(data, 0, half) : sum(data, half, data.byteSize()));
        return parts[0] + parts[1];
    }

    static long sum(MemorySegment s, long from, long to) {
        LongVector acc = LongVector.zero(LONGS);
        long step = LONGS.vectorByteSize();
        long i = from;
        for (; i + step <= to; i += step) {
            acc = acc.add(LongVector.fromMemorySegment(LONGS, s, i, ByteOrder.LITTLE_ENDIAN));
        }
        return acc.reduceLanes(VectorOperators.ADD) + (to - i);
    }
}
