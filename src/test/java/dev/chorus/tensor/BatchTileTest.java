package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The small-batch products (2 to {@link QuantizedMatrix#DECODED_MIN_VECTORS} - 1 vectors: several sequences decoding
 * together) on random weights: every count of vectors and an odd number of rows against the scalar reference, and a
 * vector's result the same whatever batch it is in and whichever rows share its range (so a sequence decodes the same
 * in any batch of four or more, three for the two-row tiles; smaller batches run the single-vector kernel). "The same"
 * allows only the difference between the interpreter's and C2's order of a final lane sum (a fresh JVM's first calls
 * are interpreted), {@link #SAME_ARITHMETIC} of the products' magnitude, ten times tighter than the tolerance between
 * two kernels: it catches a tile mixing up vectors, rows or stale scratch rows, not a mere change of summation order.
 */
class BatchTileTest {
    private static final int ROWS = 9;
    private static final int MAX_VECTORS = QuantizedMatrix.DECODED_MIN_VECTORS - 1;
    private static final double SAME_ARITHMETIC = 2e-6;

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q5_0", "Q4_K", "Q6_K", "Q4_1", "F16"})
    void everyBatchSizeMatchesReferenceAndIsIndependentOfItsBatch(GgmlType type) {
        Random rnd = new Random(type.ordinal() * 13L + 5);
        for (int cols : new int[] {256 * 3, 256 * 5}) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = SyntheticWeights.of(type, ROWS, cols, rnd, arena);
                QuantizedMatrix m = (QuantizedMatrix) WeightMatrix.of(type, seg, ROWS, cols);
                float[] x = SyntheticWeights.activations(MAX_VECTORS * cols, rnd);
                float[] full = product(m, x, MAX_VECTORS, 0, ROWS);
                float[] ref = new float[MAX_VECTORS * ROWS];
                m.matMulReference(m.prepare(x, MAX_VECTORS, new Activations()), ref, 0, ROWS);
                float[] row = new float[cols];
                for (int r = 0; r < ROWS; r++) {
                    m.dequantizeRow(r, row, 0);
                    for (int b = 0; b < MAX_VECTORS; b++) {
                        assertThat((double) full[b * ROWS + r]).as("%s %d cols, row %d, vector %d", type, cols, r, b)
                                .isCloseTo(ref[b * ROWS + r], within(DotCheck.summationTolerance(row, x, b * cols)));
                    }
                }
                for (int n = 1; n < MAX_VECTORS; n++) {
                    float[] part = product(m, x, n, 0, ROWS);
                    for (int b = 0; b < n; b++) {
                        for (int r = 0; r < ROWS; r++) {
                            float expected = n < smallestTile(m) ? single(m, x, b, cols, r) : full[b * ROWS + r];
                            assertThat((double) part[b * ROWS + r]).as("%s n=%d, row %d, vector %d", type, n, r, b)
                                    .isCloseTo(expected, within(same(m, r, x, b, cols)));
                        }
                    }
                }
                for (int r = 0; r < ROWS; r++) {          // each row alone: paired with itself instead of a neighbour
                    float[] alone = product(m, x, MAX_VECTORS, r, r + 1);
                    for (int b = 0; b < MAX_VECTORS; b++) {
                        assertThat((double) alone[b * ROWS + r]).as("%s row %d alone, vector %d", type, r, b)
                                .isCloseTo(full[b * ROWS + r], within(same(m, r, x, b, cols)));
                    }
                }
            }
        }
    }

    /** Products of fewer vectors run the single-vector kernel. */
    private static int smallestTile(QuantizedMatrix m) {
        return m.kernel().tilesRowPairs() ? TypeKernel.TILE_VECTORS - 1 : TypeKernel.TILE_VECTORS;
    }

    private static double same(QuantizedMatrix m, int r, float[] x, int b, int cols) {
        float[] row = new float[cols];
        m.dequantizeRow(r, row, 0);
        return SAME_ARITHMETIC * DotCheck.magnitude(row, x, b * cols) + 1e-7;
    }

    private static float[] product(QuantizedMatrix m, float[] x, int n, int rowFrom, int rowTo) {
        float[] out = new float[n * ROWS];
        m.matMul(m.prepare(x, n, new Activations()), out, rowFrom, rowTo);
        return out;
    }

    /** Vector b alone (a decode step of one sequence). */
    private static float single(QuantizedMatrix m, float[] x, int b, int cols, int r) {
        float[] out = new float[ROWS];
        m.matVec(Arrays.copyOfRange(x, b * cols, (b + 1) * cols), out, 0, ROWS);
        return out[r];
    }
}
