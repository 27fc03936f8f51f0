package dev.chorus.serve.local;

import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;
import dev.chorus.memory.ExpertStore;
import dev.chorus.model.KvType;
import dev.chorus.model.ModelConfig;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.PromptTooLongException;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The server's sequence settings: a context cap bounds both the KV memory the hot tier reserves and the prompts an
 * expert accepts, never beyond the model's own context; an F16 cache reserves half the KV bytes.
 */
class SequenceSizingTest {
    @Test
    void contextCapAndKvTypeSizeTheReservationAndThePromptLimit() throws Exception {
        Path file = SharedData.require("models/stories260K.gguf");
        try (GgufFile g = GgufFile.open(file)) {
            ModelConfig c = ModelConfig.fromMetadata(g.metadata());
            int trained = c.contextLength();
            long kvPerPositionF32 = 4L * (c.keyWidth() + c.valueWidth()) * c.blockCount();
            ModelRuntime.Factory full = new ModelRuntime.Factory(1, 2, 0, KvType.F32);
            ModelRuntime.Factory capped = new ModelRuntime.Factory(1, 2, 64, KvType.F32);
            ModelRuntime.Factory cappedF16 = new ModelRuntime.Factory(1, 2, 64, KvType.F16);
            ModelRuntime.Factory beyond = new ModelRuntime.Factory(1, 2, trained * 4, KvType.F32);
            assertThat(capped.positions(c)).isEqualTo(64);
            assertThat(beyond.positions(c)).as("never beyond the model's context").isEqualTo(trained);
            assertThat(full.stateBytes(g) - capped.stateBytes(g)).isEqualTo(kvPerPositionF32 * (trained - 64) * 2);
            assertThat(capped.stateBytes(g) - cappedF16.stateBytes(g)).isEqualTo(kvPerPositionF32 / 2 * 64 * 2);
            assertThat(beyond.stateBytes(g)).isEqualTo(full.stateBytes(g));
        }
        try (ExpertStore<ModelRuntime> store = ExpertStore.builder(new ModelRuntime.Factory(1, 1, 64, KvType.F16))
                .hotMemory(1L << 28).warmMemory(1L << 28).build()) {
            store.register("s", file);
            LocalExpert expert = LocalExpert.open("s", "", file, store, 64);
            assertThat(expert.prepare(new PromptInput.Text("Once upon a time")).promptTokens()).isLessThan(64);
            assertThatThrownBy(() -> expert.prepare(new PromptInput.Text("Once upon a time there was a cat. ".repeat(20))))
                    .isInstanceOf(PromptTooLongException.class).hasMessageContaining("has a context of 64");
            try (var lease = store.acquire("s")) {
                assertThat(lease.runtime().model().options().contextLength()).isEqualTo(64);
                assertThat(lease.runtime().model().options().kvType()).isEqualTo(KvType.F16);
            }
        }
    }
}
