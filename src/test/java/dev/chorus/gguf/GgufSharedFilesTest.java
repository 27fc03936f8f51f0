package dev.chorus.gguf;

import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class GgufSharedFilesTest {
    @Test
    void readsEveryGgufFileInShared() throws Exception {
        Path root = SharedData.require("models");
        List<Path> files;
        try (Stream<Path> s = Files.walk(root.getParent())) {
            files = s.filter(p -> p.toString().endsWith(".gguf")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(30);
        for (Path p : files) {
            try (GgufFile f = GgufFile.open(p)) {
                assertThat(f.metadata().getString("general.architecture")).as(p.toString()).isNotBlank();
                for (TensorInfo t : f.tensors()) {
                    assertThat(f.tensorData(t).byteSize()).isEqualTo(t.byteSize());
                }
            }
        }
    }

    @Test
    void stories260KHasTheDocumentedShape() throws Exception {
        try (GgufFile f = GgufFile.open(SharedData.require("models/stories260K.gguf"))) {
            GgufMetadata m = f.metadata();
            assertThat(m.getString("general.architecture")).isEqualTo("llama");
            assertThat(m.getInt("llama.embedding_length")).isEqualTo(64);
            assertThat(m.getInt("llama.block_count")).isEqualTo(5);
            assertThat(m.getStringArray("tokenizer.ggml.tokens")).hasSize(512);
            assertThat(f.tensors()).hasSize(48);
            assertThat(f.tensor("token_embd.weight").dims()).containsExactly(64, 512);
        }
    }
}
