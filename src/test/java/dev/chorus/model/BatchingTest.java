package dev.chorus.model;

import dev.chorus.ChorusException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Continuous batching: several sequences in one forward give the same logits as each sequence alone. */
class BatchingTest {
    /**
     * On the F32 file: a prefilled position and a decoded one run different kernels that agree up to float summation
     * order, and with Q8_0 weights that order can move one quantized activation across a rounding step (the Q8_0 file
     * of this model has such a position: 0.3 in a logit, already with the earlier kernels at 8 float lanes), which says
     * nothing about batching.
     */
    @Test
    void mixedPrefillAndDecodeOfSeveralSequencesEqualsSeparateRuns() throws Exception {
        Reference ref = Reference.load("synth-qwen2-bias.F32");
        int[] t = ref.tokens();
        try (Model model = Model.open(Reference.model("synth-qwen2-bias.F32"), ModelFixtures.options())) {
            float[][] alone = ModelFixtures.allLogits(model, java.util.Arrays.copyOf(t, 40));
            float[][] other = ModelFixtures.allLogits(model, java.util.Arrays.copyOfRange(t, 20, 60));
            Engine engine = model.newEngine();
            try (Sequence a = model.newSequence(); Sequence b = model.newSequence()) {
                Batch batch = new Batch(64);
                batch.addAll(a, t, 0, 30, false);          // prefill a
                batch.addAll(b, t, 20, 45, true);          // prefill b in the same pass
                engine.forward(batch);
                for (int i = 30; i < 40; i++) {             // then decode both together, one step each
                    batch.clear();
                    batch.add(a, a.length(), t[i], true);
                    batch.add(b, b.length(), t[i + 15], true);
                    Logits l = engine.forward(batch);
                    assertThat(l.rows()).isEqualTo(2);
                    assertClose(l.row(0), alone[i]);
                    assertClose(l.row(1), other[i - 5]);
                }
            }
        }
    }

    private static void assertClose(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        assertThat(max).isLessThan(1e-3);
    }

    @Test
    void badPositionsAndContextOverflowAreClearErrorsThatLeaveTheSequenceUsable() throws Exception {
        try (Model model = Model.open(Reference.model("stories260K"), ModelFixtures.options().withContextLength(8));
             Sequence s = model.newSequence()) {
            Engine engine = model.newEngine();
            Batch batch = new Batch(16);
            batch.add(s, 0, 1, false).add(s, 1, 400, false).add(s, 5, 401, true);
            assertThatThrownBy(() -> engine.forward(batch)).hasMessageContaining("skips ahead");
            assertThat(s.length()).isZero();
            batch.clear();
            batch.addAll(s, new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8, true);
            engine.forward(batch);
            batch.clear();
            batch.add(s, 8, 9, true);
            assertThatThrownBy(() -> engine.forward(batch)).isInstanceOf(ChorusException.class)
                    .hasMessageContaining("context length of 8");
            batch.clear();
            batch.add(s, 7, 9999, true);
            assertThatThrownBy(() -> engine.forward(batch)).hasMessageContaining("outside the vocabulary");
        }
    }

    @Test
    void unknownArchitectureAndMissingTensorsAreNamed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("chorus-bad");
        try (var f = dev.chorus.gguf.GgufFile.open(Reference.model("stories260K"))) {
            var w = new dev.chorus.gguf.GgufWriter();
            for (var e : f.metadata().entries().values()) {
                if (!e.key().equals("general.architecture")) {
                    w.put(e.key(), e.type(), e.value());
                }
            }
            w.putString("general.architecture", "mamba");
            java.nio.file.Path bad = dir.resolve("bad.gguf");
            w.write(bad);
            assertThatThrownBy(() -> Model.open(bad, ModelFixtures.options())).hasMessageContaining("mamba");

            var w2 = new dev.chorus.gguf.GgufWriter();
            w2.putAll(f.metadata());
            for (var t : f.tensors()) {
                if (!t.name().equals("blk.2.ffn_up.weight")) {
                    w2.addTensor(t.name(), t.type(), t.dims(), f.tensorData(t));
                }
            }
            java.nio.file.Path missing = dir.resolve("missing.gguf");
            w2.write(missing);
            assertThatThrownBy(() -> Model.open(missing, ModelFixtures.options())).hasMessageContaining("blk.2.ffn_up.weight");
        }
    }

    @Test
    void nonFiniteActivationsAreReported() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("chorus-nan");
        try (var f = dev.chorus.gguf.GgufFile.open(Reference.model("stories260K"))) {
            var w = new dev.chorus.gguf.GgufWriter();
            w.putAll(f.metadata());
            for (var t : f.tensors()) {
                if (t.name().equals("blk.1.ffn_norm.weight")) {
                    float[] v = new float[(int) t.elementCount()];
                    java.util.Arrays.fill(v, Float.POSITIVE_INFINITY);
                    w.addTensor(t.name(), t.type(), t.dims(), dev.chorus.tensor.Quantizer.quantize(t.type(), v));
                } else {
                    w.addTensor(t.name(), t.type(), t.dims(), f.tensorData(t));
                }
            }
            java.nio.file.Path bad = dir.resolve("inf.gguf");
            w.write(bad);
            try (Model m = Model.open(bad, ModelFixtures.options()); Sequence s = m.newSequence()) {
                Batch batch = new Batch(4).add(s, 0, 1, false).add(s, 1, 400, true);
                assertThatThrownBy(() -> m.newEngine().forward(batch)).isInstanceOf(ChorusException.class)
                        .hasMessageContaining("NaN/Inf in the logits at position 1");
            }
        }
    }
}
