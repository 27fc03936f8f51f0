package dev.chorus.tensor;

import dev.chorus.SharedData;
import dev.chorus.gguf.GgmlType;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.TensorInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Real tensors of the synthetic llama-gqa model in every type: the dequantized tensor is as close to the F32 parent
 * as the type's precision implies, and fast dot == reference dot, both within the activation-rounding bound of the
 * exact dot of the dequantized row.
 */
class KernelSharedModelsTest {
    /**
     * file suffix, the largest relative RMS error (dequantized - F32) / rms(F32) accepted: about 1.3x what each type
     * shows on these tensors.
     */
    @ParameterizedTest
    @CsvSource({"F32, 0", "F16, 0.0005", "BF16, 0.004", "Q8_0, 0.006", "Q6_K, 0.025", "Q5_1, 0.05", "Q5_0, 0.055",
            "Q5_K_M, 0.05", "Q4_1, 0.1", "Q4_0, 0.11", "Q4_K_M, 0.1", "Q3_K_M, 0.2", "Q2_K, 0.35"})
    void dequantizedTensorsAreCloseToF32AndDotsAgree(String suffix, double maxRelRms) throws Exception {
        try (GgufFile f32 = GgufFile.open(SharedData.require("models/synth-llama-gqa.F32.gguf"));
             GgufFile q = GgufFile.open(SharedData.require("models/synth-llama-gqa." + suffix + ".gguf"))) {
            Random rnd = new Random(suffix.hashCode());
            int checked = 0;
            for (TensorInfo t : q.tensors()) {
                if (t.rank() != 2) {
                    continue;
                }
                int cols = (int) t.dim(0);
                int rows = (int) t.dim(1);
                WeightMatrix m = WeightMatrix.of(t.type(), q.tensorData(t), rows, cols);
                TensorInfo pt = f32.tensor(t.name());
                WeightMatrix parent = WeightMatrix.of(pt.type(), f32.tensorData(pt), rows, cols);
                assertThat(pt.type()).isEqualTo(GgmlType.F32);
                float[] row = new float[cols];
                float[] ref = new float[cols];
                double err = 0;
                double norm = 0;
                for (int r = 0; r < rows; r++) {
                    m.dequantizeRow(r, row, 0);
                    parent.dequantizeRow(r, ref, 0);
                    for (int c = 0; c < cols; c++) {
                        err += (row[c] - ref[c]) * (double) (row[c] - ref[c]);
                        norm += ref[c] * (double) ref[c];
                    }
                }
                double rel = Math.sqrt(err / norm);
                assertThat(rel).as("%s %s %s relative RMS error", suffix, t.name(), t.type()).isLessThanOrEqualTo(maxRelRms);
                checkDots((QuantizedMatrix) m, rnd);
                checked++;
            }
            assertThat(checked).isGreaterThan(5);
        }
    }

    private static void checkDots(QuantizedMatrix m, Random rnd) {
        int rows = Math.min(m.rows(), 64);
        int cols = m.cols();
        float[] x = SyntheticWeights.activations(cols, rnd);
        Activations a = m.prepare(x, 1, new Activations());
        float[] fast = new float[m.rows()];
        float[] ref = new float[m.rows()];
        m.matMul(a, fast, 0, rows);
        m.matMulReference(a, ref, 0, rows);
        float[] e = DotCheck.activationErrorBound(m.activationFormat(), x, 0, cols);
        float[] row = new float[cols];
        for (int r = 0; r < rows; r++) {
            m.dequantizeRow(r, row, 0);
            double bound = DotCheck.bound(row, x, 0, e);
            assertThat((double) fast[r]).as("%s row %d fast vs reference", m, r)
                    .isCloseTo(ref[r], within(DotCheck.summationTolerance(row, x, 0)));
            assertThat((double) ref[r]).as("%s row %d reference vs exact", m, r)
                    .isCloseTo(DotCheck.exactDot(row, x, 0), within(bound));
        }
    }
}
