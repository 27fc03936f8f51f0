package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.Random;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ComputePoolTest {
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
            WeightMatrix w = WeightMatrix.of(GgmlType.Q4_K, RandomWeights.of(GgmlType.Q4_K, rows, cols, rnd, arena),
                    rows, cols);
            float[] x = RandomWeights.activations(4 * cols, rnd);
            float[] expected = new float[4 * rows];
            w.matMul(x, 4, expected, 0, rows);
            float[] out = new float[4 * rows];
            Kernels.matMul(pool, w, x, 4, out);
            assertThat(out).containsExactly(expected);
            float[] x0 = java.util.Arrays.copyOf(x, cols);
            float[] single = new float[rows];
            w.matVec(x0, single, 0, rows);
            float[] one = new float[rows];
            Kernels.matVec(pool, w, x0, one);
            assertThat(one).containsExactly(single);
        }
    }
}
