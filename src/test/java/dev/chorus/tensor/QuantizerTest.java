package dev.chorus.tensor;

import dev.chorus.ChorusException;
import dev.chorus.SharedData;
import dev.chorus.gguf.GgmlType;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.TensorInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuantizerTest {
    private static float[] dequantize(GgmlType type, byte[] bytes, int n) {
        WeightMatrix m = WeightMatrix.of(type, MemorySegment.ofArray(bytes), 1, n);
        float[] out = new float[n];
        m.dequantizeRow(0, out, 0);
        return out;
    }

    /** type, worst accepted relative RMS round-trip error on Gaussian data (theory: step / sqrt(12)). */
    @ParameterizedTest
    @CsvSource({"F32, 0", "F16, 0.0004", "BF16, 0.003", "Q8_0, 0.01", "Q4_0, 0.12", "Q5_0, 0.06", "Q4_K, 0.11"})
    void roundTripErrorIsWithinTheTypesPrecision(GgmlType type, double maxRelRms) {
        Random rnd = new Random(11);
        int n = 256 * 64;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * 0.05 + (i % 512 == 3 ? 0.4 : 0));
        }
        float[] y = dequantize(type, Quantizer.quantize(type, x), n);
        double err = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            err += (x[i] - y[i]) * (double) (x[i] - y[i]);
            norm += x[i] * (double) x[i];
        }
        assertThat(Math.sqrt(err / norm)).as(type.name()).isLessThanOrEqualTo(maxRelRms);
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0", "Q5_0"})
    void elementErrorIsAtMostHalfAStep(GgmlType type) {
        Random rnd = new Random(5);
        float[] x = new float[32 * 100];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) rnd.nextGaussian();
        }
        byte[] q = Quantizer.quantize(type, x);
        float[] y = dequantize(type, q, x.length);
        for (int b = 0; b < 100; b++) {
            float d = Math.abs(Float.float16ToFloat(MemorySegment.ofArray(q).get(Mem.SHORT, (long) b * type.bytesPerBlock())));
            for (int i = 0; i < 32; i++) {
                int e = b * 32 + i;
                // half a step, plus the fp16 rounding of the scale over the largest quant; Q4_0 clamps the side
                // opposite to the block's extreme at +7 steps, Q5_0 at +15
                double clamp = type == GgmlType.Q4_0 ? Math.abs(x[e]) - 7 * d
                        : type == GgmlType.Q5_0 ? Math.abs(x[e]) - 15 * d : 0;
                assertThat((double) Math.abs(x[e] - y[e]))
                        .isLessThanOrEqualTo(Math.max(d * 0.5, clamp) + Math.abs(x[e]) * 1e-3 + 1e-7);
            }
        }
    }

    /** llama.cpp's own Q8_0/Q4_0/Q5_0 blocks are fixed points of dequantize-then-quantize with ggml's rounding. */
    @ParameterizedTest
    @CsvSource({"Q8_0", "Q4_0", "Q5_0"})
    void requantizingLlamaCppBlocksReproducesThemExactly(String suffix) throws Exception {
        try (GgufFile f = GgufFile.open(SharedData.require("models/synth-llama-gqa." + suffix + ".gguf"))) {
            int checked = 0;
            for (TensorInfo t : f.tensors()) {
                if (t.rank() != 2 || !t.type().name().equals(suffix)) {
                    continue;
                }
                int cols = (int) t.dim(0);
                int rows = (int) t.dim(1);
                WeightMatrix m = WeightMatrix.of(t.type(), f.tensorData(t), rows, cols);
                float[] all = new float[rows * cols];
                for (int r = 0; r < rows; r++) {
                    m.dequantizeRow(r, all, r * cols);
                }
                byte[] again = Quantizer.quantize(t.type(), all);
                assertThat(again).as(t.name()).isEqualTo(f.tensorData(t).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                checked++;
            }
            assertThat(checked).isGreaterThan(3);
        }
    }

    @Test
    void kQuantRowsThatAreNotWholeSuperBlocksFallBackLikeLlamaCpp() {
        assertThat(Quantizer.typeForRows(GgmlType.Q4_K, 576)).isEqualTo(GgmlType.Q5_0);
        assertThat(Quantizer.typeForRows(GgmlType.Q4_K, 1536)).isEqualTo(GgmlType.Q4_K);
        assertThat(Quantizer.typeForRows(GgmlType.Q6_K, 896)).isEqualTo(GgmlType.Q8_0);
        assertThat(Quantizer.typeForRows(GgmlType.Q8_0, 64)).isEqualTo(GgmlType.Q8_0);
        assertThatThrownBy(() -> Quantizer.typeForRows(GgmlType.Q8_0, 40)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unsupportedTypeIsNamed() {
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.Q5_1, new float[32]))
                .isInstanceOf(ChorusException.class).hasMessageContaining("Q5_1");
        assertThatThrownBy(() -> Quantizer.quantize(GgmlType.Q4_0, new float[33]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
