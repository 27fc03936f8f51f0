package dev.chorus.tensor;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgmlType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every type on random blocks: fast dot == scalar reference, and both within the rounding bound of the exact dot. */
class KernelRandomTest {
    static final int ROWS = 7;
    static final int COLS = 512;

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K",
            "Q5_K", "Q6_K"})
    void fastDotMatchesReferenceAndExactDot(GgmlType type) {
        Random rnd = new Random(type.ordinal() * 31L + 7);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = SyntheticWeights.of(type, ROWS, COLS, rnd, arena);
            QuantizedMatrix m = (QuantizedMatrix) WeightMatrix.of(type, seg, ROWS, COLS);
            int n = 6; // one tile of four vectors plus two single ones
            float[] x = SyntheticWeights.activations(n * COLS, rnd);
            Activations a = m.prepare(x, n, new Activations());
            float[] fast = new float[n * ROWS];
            float[] ref = new float[n * ROWS];
            m.matMul(a, fast, 0, ROWS);
            m.matMulReference(a, ref, 0, ROWS);
            float[] single = new float[ROWS];
            float[] row = new float[COLS];
            for (int b = 0; b < n; b++) {
                float[] xb = java.util.Arrays.copyOfRange(x, b * COLS, (b + 1) * COLS);
                m.matVec(xb, single, 0, ROWS);
                float[] e = DotCheck.activationErrorBound(m.activationFormat(), x, b * COLS, COLS);
                for (int r = 0; r < ROWS; r++) {
                    m.dequantizeRow(r, row, 0);
                    double exact = DotCheck.exactDot(row, x, b * COLS);
                    double bound = DotCheck.bound(row, x, b * COLS, e);
                    float f = fast[b * ROWS + r];
                    float rf = ref[b * ROWS + r];
                    assertThat((double) f).as("fast vs reference, row %d vec %d", r, b)
                            .isCloseTo(rf, within(DotCheck.summationTolerance(row, x, b * COLS)));
                    assertThat((double) single[r]).as("matVec vs matMul")
                            .isCloseTo(f, within(DotCheck.summationTolerance(row, x, b * COLS)));
                    assertThat((double) rf).as("reference vs exact, row %d vec %d", r, b)
                            .isCloseTo(exact, within(bound));
                }
            }
        }
    }

    /**
     * The batched tiles (4-vector tiles for small batches; 2 rows x 4 vectors on decoded rows in block-major groups for
     * large ones) on shapes that are not whole groups or whole tiles: 576 and 896 columns, an odd row count and vector
     * counts with remainders, against the reference.
     */
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q5_0"})
    void batchedTilesMatchReferenceOnPaddedShapes(GgmlType type) {
        Random rnd = new Random(type.ordinal() * 17L + 3);
        for (int cols : new int[] {576, 896}) {
            int rows = 10; // rows 1..9 are computed: an odd count
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment seg = SyntheticWeights.of(type, rows, cols, rnd, arena);
                QuantizedMatrix m = (QuantizedMatrix) WeightMatrix.of(type, seg, rows, cols);
                float[] row = new float[cols];
                int d = QuantizedMatrix.DECODED_MIN_VECTORS;   // from here on the decoded tiles, below the 4-vector ones
                for (int n : new int[] {4, 7, 13, d, d + 3, d + 9}) {
                    float[] x = SyntheticWeights.activations(n * cols, rnd);
                    Activations a = m.prepare(x, n, new Activations());
                    float[] fast = new float[n * rows];
                    float[] ref = new float[n * rows];
                    m.matMul(a, fast, 1, rows);
                    m.matMulReference(a, ref, 1, rows);
                    for (int b = 0; b < n; b++) {
                        assertThat(fast[b * rows]).as("row 0 is outside the range").isZero();
                        for (int r = 1; r < rows; r++) {
                            m.dequantizeRow(r, row, 0);
                            assertThat((double) fast[b * rows + r]).as("%d cols, n=%d, row %d, vector %d", cols, n, r, b)
                                    .isCloseTo(ref[b * rows + r], within(DotCheck.summationTolerance(row, x, b * cols)));
                        }
                    }
                }
            }
        }
    }

    @Test
    void vectorShapeIsConsistent() {
        System.out.println("vector kernels: " + Vec.L + " float lanes, enabled=" + Vec.ENABLED);
        assertThat(Vec.B.length()).isGreaterThanOrEqualTo(Vec.L);
        assertThat(Vec.I.length()).isEqualTo(Vec.L);
    }

    @Test
    void unsupportedTypeIsNamed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(1024);
            assertThatThrownBy(() -> WeightMatrix.of(GgmlType.IQ2_XS, seg, 1, 256))
                    .isInstanceOf(ChorusException.class).hasMessageContaining("IQ2_XS");
            assertThatThrownBy(() -> WeightMatrix.of(GgmlType.Q8_0, seg, 100, 256))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bytes");
        }
    }
}
