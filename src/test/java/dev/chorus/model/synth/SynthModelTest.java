package dev.chorus.model.synth;

import dev.chorus.gguf.GgmlType;
import dev.chorus.gguf.GgufFile;
import dev.chorus.model.Architecture;
import dev.chorus.model.Model;
import dev.chorus.model.ModelOptions;
import dev.chorus.tensor.WeightMatrix;
import dev.chorus.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SynthModelTest {
    @TempDir
    Path dir;

    private Path synth(Architecture arch, GgmlType type, long seed) throws Exception {
        Path out = dir.resolve(arch + "-" + type + "-" + seed + ".gguf");
        new SynthModel(arch, SynthShape.TINY, type, seed).write(new SynthModel.Bytes(), out);
        return out;
    }

    @ParameterizedTest
    @CsvSource({"F16, 0.001", "Q8_0, 0.01", "Q4_0, 0.15", "Q4_K, 0.15"})
    void quantizedWeightsStayCloseToTheirF32Draw(GgmlType type, double maxRelativeRms) throws Exception {
        try (GgufFile f32 = GgufFile.open(synth(Architecture.LLAMA, GgmlType.F32, 5));
             GgufFile q = GgufFile.open(synth(Architecture.LLAMA, type, 5))) {
            for (String name : new String[] {"token_embd.weight", "blk.0.attn_q.weight", "blk.3.ffn_down.weight"}) {
                WeightMatrix a = matrix(f32, name);
                WeightMatrix b = matrix(q, name);
                assertThat(b.type()).isEqualTo(type); // tiny's rows (256, 768) are whole super-blocks
                float[] ra = new float[a.cols()];
                float[] rb = new float[a.cols()];
                double err = 0;
                double ref = 0;
                for (int r = 0; r < a.rows(); r += 7) {
                    a.dequantizeRow(r, ra, 0);
                    b.dequantizeRow(r, rb, 0);
                    for (int c = 0; c < ra.length; c++) {
                        err += (ra[c] - rb[c]) * (ra[c] - rb[c]);
                        ref += ra[c] * ra[c];
                    }
                }
                assertThat(Math.sqrt(err / ref)).as("%s %s relative RMS error", type, name).isLessThan(maxRelativeRms);
            }
        }
    }

    private static WeightMatrix matrix(GgufFile f, String name) {
        var t = f.tensor(name);
        return WeightMatrix.of(t.type(), f.tensorData(t), (int) t.dim(1), (int) t.dim(0));
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws Exception {
        byte[] a = Files.readAllBytes(synth(Architecture.QWEN2, GgmlType.Q4_K, 9));
        Path again = dir.resolve("again.gguf");
        new SynthModel(Architecture.QWEN2, SynthShape.TINY, GgmlType.Q4_K, 9).write(new SynthModel.Bytes(), again);
        assertThat(Files.readAllBytes(again)).isEqualTo(a);
        assertThat(Files.readAllBytes(synth(Architecture.QWEN2, GgmlType.Q4_K, 10))).isNotEqualTo(a);
    }

    @ParameterizedTest
    @CsvSource({"LLAMA", "QWEN2", "QWEN3"})
    void loadsWithTheFamilyFeaturesAndGeneratesFiniteLogits(Architecture arch) throws Exception {
        try (Model m = Model.open(synth(arch, GgmlType.Q8_0, 1), ModelOptions.defaults().withThreads(2).withContextLength(64))) {
            assertThat(m.config().architecture()).isEqualTo(arch);
            assertThat(m.config().blockCount()).isEqualTo(SynthShape.TINY.layers());
            assertThat(m.weights().layers().getFirst().bq() != null).isEqualTo(arch == Architecture.QWEN2);
            assertThat(m.weights().layers().getFirst().qNorm() != null).isEqualTo(arch == Architecture.QWEN3);
            Tokenizer tok = Tokenizer.fromGguf(m.metadata());
            int[] ids = tok.encode("Hello, wörld! ✓", true, false);
            assertThat(tok.decode(ids)).isIn("Hello, wörld! ✓", " Hello, wörld! ✓"); // SPM space prefix
            double[] lp = m.tokenLogProbs(new int[] {ids[0]}, java.util.Arrays.copyOfRange(ids, 1, ids.length));
            assertThat(lp).hasSize(ids.length - 1);
            for (double v : lp) {
                assertThat(v).isFinite().isNegative();
            }
        }
    }

    @Test
    void rejectsWhatItCannotWrite() {
        assertThatThrownBy(() -> new SynthModel(Architecture.LLAMA, SynthShape.TINY, GgmlType.Q5_K, 1))
                .hasMessageContaining("Q5_K");
        assertThatThrownBy(() -> SynthShape.byName("gpt5")).hasMessageContaining("gpt5");
    }
}
