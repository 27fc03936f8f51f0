package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The 4-row x 4-vector decoded tiles on row ranges of every remainder (1..3 rows past a whole tile) and vector counts of
 * every remainder, with column counts made of whole segments only (1536 = 3 x 16 blocks), whole segments and a tail
 * (4864 = 9 x 16 + 8 blocks, as Qwen2.5-0.5B's down projection) and tails only (224 = 4 + 2 + 1 blocks): against the
 * scalar reference, and each vector's result the same bits whatever batch it is in.
 */
class DecodedTileTest {
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q5_0"})
    void tilesMatchReferenceAndDoNotDependOnTheBatch(GgmlType type) {
        Random rnd = new Random(type.ordinal() * 31L + 7);
        int d = QuantizedMatrix.DECODED_MIN_VECTORS;
        for (int cols : new int[] {1536, 4864, 224}) {
            int rows = 16;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = SyntheticWeights.of(type, rows, cols, rnd, arena);
                QuantizedMatrix m = (QuantizedMatrix) WeightMatrix.of(type, seg, rows, cols);
                float[] row = new float[cols];
                int n = d + 7;
                float[] x = SyntheticWeights.activations(n * cols, rnd);
                Activations all = m.prepare(x, n, new Activations());
                float[] ref = new float[n * rows];
                m.matMulReference(all, ref, 0, rows);
                for (int[] range : new int[][] {{0, rows}, {1, 10}, {3, 9}, {2, 13}, {5, 6}}) {
                    float[] fast = new float[n * rows];
                    m.matMul(all, fast, range[0], range[1]);
                    for (int b = 0; b < n; b++) {
                        for (int r = range[0]; r < range[1]; r++) {
                            m.dequantizeRow(r, row, 0);
                            assertThat((double) fast[b * rows + r]).as("%d cols, rows %d..%d, row %d, vector %d",
                                    cols, range[0], range[1], r, b).isCloseTo(ref[b * rows + r],
                                    within(DotCheck.summationTolerance(row, x, b * cols)));
                        }
                    }
                    for (int count = d; count < n; count++) {
                        Activations fewer = m.prepare(x, count, new Activations());
                        float[] part = new float[count * rows];
                        m.matMul(fewer, part, range[0], range[1]);
                        for (int b = 0; b < count; b++) {
                            for (int r = range[0]; r < range[1]; r++) {
                                assertThat(part[b * rows + r]).as("%d cols, batch of %d, row %d, vector %d",
                                        cols, count, r, b).isEqualTo(fast[b * rows + r]);
                            }
                        }
                    }
                }
            }
        }
    }
}
