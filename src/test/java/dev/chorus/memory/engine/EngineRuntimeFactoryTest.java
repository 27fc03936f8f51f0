package dev.chorus.memory.engine;

import dev.chorus.ChorusException;
import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;
import dev.chorus.memory.ExpertLease;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.Tier;
import dev.chorus.model.Batch;
import dev.chorus.model.Engine;
import dev.chorus.model.Model;
import dev.chorus.model.ModelOptions;
import dev.chorus.model.Sequence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineRuntimeFactoryTest {
    static final ModelOptions OPTIONS = ModelOptions.defaults().withThreads(1).withContextLength(64).withMaxBatch(8);
    static final int[] PROMPT = {1, 17, 42, 99, 7};

    @TempDir
    Path dir;

    @Test
    void logitsAreTheSameThroughEveryTierAsFromAPlainModelOpen() throws Exception {
        Path file = Files.copy(SharedData.require("models/synth-llama-gqa.Q8_0.gguf"), dir.resolve("expert.gguf"));
        float[] reference;
        try (Model model = Model.open(file, OPTIONS); Sequence seq = model.newSequence()) {
            reference = lastLogits(model.newEngine(), seq);
        }
        EngineRuntimeFactory factory = new EngineRuntimeFactory(OPTIONS, 2);
        try (ExpertStore<EngineExpertRuntime> store = ExpertStore.builder(factory).hotMemory(64L << 20)
                .warmMemory(64L << 20).build()) {
            store.register("e", file);
            for (Tier via : new Tier[] {Tier.COLD, Tier.WARM, Tier.HOT, Tier.COLD}) {
                store.demote("e", via);
                try (ExpertLease<EngineExpertRuntime> lease = store.acquire("e");
                     EngineExpertRuntime.Slot slot = lease.runtime().openSequence()) {
                    // not bit-exact: Vector API lane reductions may sum in another order once JIT-compiled
                    assertThat(lastLogits(lease.runtime().engine(), slot.sequence()))
                            .as("logits after a switch from " + via)
                            .containsExactly(reference, org.assertj.core.data.Offset.offset(1e-3f));
                }
            }
        }
    }

    @Test
    void theHotBudgetCoversEverySlotAtFullContext() throws Exception {
        Path file = SharedData.require("models/synth-llama-gqa.Q8_0.gguf");
        EngineRuntimeFactory factory = new EngineRuntimeFactory(OPTIONS, 2);
        try (GgufFile weights = GgufFile.open(file)) {
            long declared = factory.stateBytes(weights);
            try (EngineExpertRuntime runtime = factory.prepare(weights).start()) {
                EngineExpertRuntime.Slot a = runtime.openSequence();
                EngineExpertRuntime.Slot b = runtime.openSequence();
                assertThatThrownBy(runtime::openSequence).isInstanceOf(ChorusException.class)
                        .hasMessageContaining("all 2 sequence slots");
                Engine engine = runtime.engine();
                int[] full = new int[OPTIONS.contextLength()];
                for (int i = 0; i < full.length; i++) {
                    full[i] = 1 + i % 50;
                }
                for (EngineExpertRuntime.Slot s : new EngineExpertRuntime.Slot[] {a, b}) {
                    for (int from = 0; from < full.length; from += OPTIONS.maxBatch()) {
                        engine.forward(new Batch(OPTIONS.maxBatch()).addAll(s.sequence(), full, from,
                                from + OPTIONS.maxBatch(), true));
                    }
                }
                assertThat(runtime.model().stateBytes()).as("KV caches at full context").isPositive()
                        .isLessThanOrEqualTo(factory.kvBytes(runtime.model().config()));
                assertThat(runtime.stateBytes()).isEqualTo(declared);
                a.close();
                runtime.openSequence().close(); // a freed slot can be reused
            }
        }
    }

    private static float[] lastLogits(Engine engine, Sequence seq) {
        return engine.forward(new Batch(PROMPT.length).addAll(seq, PROMPT, 0, PROMPT.length, true)).row(0);
    }
}
