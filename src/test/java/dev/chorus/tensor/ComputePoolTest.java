package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputePoolTest {
    /**
     * Products computed on different threads agree to the last bits only: the Vector API leaves the order of a float
     * reduceLanes unspecified and the interpreter and C2 differ, so the same row can differ by an ulp before and after
     * the kernel is compiled. A lost, repeated or disturbed chunk is off by whole row values, far beyond this.
     */
    private static final org.assertj.core.data.Offset<Float> LAST_BITS = org.assertj.core.data.Offset.offset(1e-4f);

    @Test
    void runsEveryChunkExactlyOnceOverManyCalls() {
        try (ComputePool pool = new ComputePool(3)) {
            for (int call = 0; call < 2000; call++) {
                int chunks = 1 + call % 37;
                AtomicIntegerArray hits = new AtomicIntegerArray(chunks);
                pool.parallelFor(chunks, hits::incrementAndGet);
                for (int i = 0; i < chunks; i++) {
                    assertThat(hits.get(i)).as("call %d chunk %d", call, i).isEqualTo(1);
                }
            }
        }
    }

    /** A worker that wakes late for a finished call must not steal a chunk index of the next call (a hang). */
    @Test
    void manyTinyCallsNeverLoseAChunk() {
        try (ComputePool pool = new ComputePool(3)) {
            java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
                for (int call = 0; call < 200_000; call++) {
                    pool.parallelFor(2, i -> total.incrementAndGet());
                }
            });
            assertThat(total.get()).isEqualTo(400_000);
        }
    }

    @Test
    void propagatesAFailureAndStaysUsable() {
        try (ComputePool pool = new ComputePool(2)) {
            assertThatThrownBy(() -> pool.parallelFor(8, i -> {
                if (i == 5) {
                    throw new IllegalStateException("chunk 5 failed");
                }
            })).hasMessage("chunk 5 failed");
            AtomicIntegerArray hits = new AtomicIntegerArray(4);
            pool.parallelFor(4, hits::incrementAndGet);
            assertThat(hits.toString()).isEqualTo("[1, 1, 1, 1]");
        }
    }

    @Test
    void nestedCallsRunInline() {
        try (ComputePool pool = new ComputePool(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(16);
            pool.parallelFor(4, i -> pool.parallelFor(4, j -> hits.incrementAndGet(i * 4 + j)));
            for (int i = 0; i < 16; i++) {
                assertThat(hits.get(i)).isEqualTo(1);
            }
        }
    }

    @Test
    void closedPoolRefusesWorkAndRejectsBadSize() {
        ComputePool pool = new ComputePool(2);
        pool.close();
        assertThatThrownBy(() -> pool.parallelFor(2, i -> { })).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new ComputePool(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parallelMatVecAndMatMulEqualTheSingleThreadedResult() {
        Random rnd = new Random(3);
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(2)) {
            int rows = 300;
            int cols = 256;
            WeightMatrix w = WeightMatrix.of(GgmlType.Q4_K, SyntheticWeights.of(GgmlType.Q4_K, rows, cols, rnd, arena),
                    rows, cols);
            float[] x = SyntheticWeights.activations(4 * cols, rnd);
            float[] expected = new float[4 * rows];
            w.matMul(x, 4, expected, 0, rows);
            float[] out = new float[4 * rows];
            Kernels.matMul(pool, w, x, 4, out);
            assertThat(out).containsExactly(expected, LAST_BITS);
            float[] x0 = java.util.Arrays.copyOf(x, cols);
            float[] single = new float[rows];
            w.matVec(x0, single, 0, rows);
            float[] one = new float[rows];
            Kernels.matVec(pool, w, x0, one);
            assertThat(one).containsExactly(single, LAST_BITS);
        }
    }

    @Test
    void kernelsCalledFromInsideAChunkDoNotDisturbTheOuterCall() {
        Random rnd = new Random(4);
        try (Arena arena = Arena.ofShared(); ComputePool pool = new ComputePool(2)) {
            int rows = 256;
            int cols = 64;
            WeightMatrix outer = WeightMatrix.of(GgmlType.Q8_0, SyntheticWeights.of(GgmlType.Q8_0, rows, cols, rnd, arena),
                    rows, cols);
            WeightMatrix inner = WeightMatrix.of(GgmlType.Q4_0, SyntheticWeights.of(GgmlType.Q4_0, rows, cols, rnd, arena),
                    rows, cols);
            float[] x = SyntheticWeights.activations(cols, rnd);
            float[] expectedOuter = new float[rows];
            float[] expectedInner = new float[rows];
            outer.matVec(x, expectedOuter, 0, rows);
            inner.matVec(x, expectedInner, 0, rows);
            float[] got = new float[rows];
            float[][] innerOut = new float[8 * 2][rows];
            java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
            // a matrix whose row ranges themselves run a parallel product, as a fused layer might
            WeightMatrix nesting = new WeightMatrix() {
                public GgmlType type() { return outer.type(); }
                public int rows() { return rows; }
                public int cols() { return cols; }
                public java.lang.foreign.MemorySegment data() { return outer.data(); }
                public ActivationFormat activationFormat() { return outer.activationFormat(); }
                public void matVec(float[] v, float[] o, int from, int to) { outer.matVec(v, o, from, to); }
                public void matMul(float[] v, int n, float[] o, int from, int to) { outer.matMul(v, n, o, from, to); }
                public void dequantizeRow(int row, float[] dst, int off) { outer.dequantizeRow(row, dst, off); }
                public void matMul(Activations p, float[] o, int from, int to) {
                    Kernels.matVec(pool, inner, x, innerOut[calls.getAndIncrement()]);
                    outer.matMul(p, o, from, to);
                }
            };
            Kernels.matVec(pool, nesting, x, got);
            assertThat(calls.get()).isGreaterThan(1);
            for (int i = 0; i < calls.get(); i++) {
                assertThat(innerOut[i]).containsExactly(expectedInner, LAST_BITS);
            }
            assertThat(got).containsExactly(expectedOuter, LAST_BITS);
        }
    }
}
