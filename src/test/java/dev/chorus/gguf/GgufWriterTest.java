package dev.chorus.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GgufWriterTest {
    @TempDir
    Path dir;

    @Test
    void writesMetadataAndAlignedTensorsThatTheReaderReadsBack() throws Exception {
        byte[] q8 = new byte[2 * 34];
        for (int i = 0; i < q8.length; i++) {
            q8[i] = (byte) (i * 7);
        }
        float[] f32 = {1f, 2f, 3f};
        Path file = dir.resolve("t.gguf");
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUInt32("llama.block_count", 4_000_000_000L)
                .putInt32("x.i32", -5)
                .putFloat32("x.f32", 1.5f)
                .putBool("x.bool", true)
                .putUInt64("x.u64", -1L)
                .putArray("tokenizer.ggml.tokens", GgufValueType.STRING, new String[] {"a", "ü", ""})
                .putArray("x.nested", GgufValueType.ARRAY, new GgufArray[] {
                        new GgufArray(GgufValueType.INT16, new short[] {1, -2}),
                        new GgufArray(GgufValueType.FLOAT64, new double[] {Math.PI})})
                .setAlignment(64)
                .addTensor("a", GgmlType.F32, new long[] {3}, MemorySegment.ofArray(f32))
                .addTensor("b", GgmlType.Q8_0, new long[] {32, 2}, q8)
                .write(file);

        try (GgufFile f = GgufFile.open(file)) {
            GgufMetadata m = f.metadata();
            assertThat(f.version()).isEqualTo(3);
            assertThat(f.alignment()).isEqualTo(64);
            assertThat(m.getString("general.architecture")).isEqualTo("llama");
            assertThat(m.getLong("llama.block_count")).isEqualTo(4_000_000_000L);
            assertThat(m.getLong("x.i32")).isEqualTo(-5);
            assertThat(m.getDouble("x.f32")).isEqualTo(1.5);
            assertThat(m.getBoolean("x.bool", false)).isTrue();
            assertThat(m.get("x.u64")).isEqualTo(-1L);
            assertThat(m.getStringArray("tokenizer.ggml.tokens")).containsExactly("a", "ü", "");
            assertThat(m.getArray("x.nested")).isEqualTo(new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                    new GgufArray(GgufValueType.INT16, new short[] {1, -2}),
                    new GgufArray(GgufValueType.FLOAT64, new double[] {Math.PI})}));
            assertThat(f.dataOffset() % 64).isZero();
            assertThat(f.tensor("a").offset()).isZero();
            assertThat(f.tensor("b").offset()).isEqualTo(64);
            assertThat(f.tensorData(f.tensor("a")).toArray(java.lang.foreign.ValueLayout.JAVA_FLOAT))
                    .containsExactly(1f, 2f, 3f);
            assertThat(f.tensorData(f.tensor("b")).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(q8);
            assertThat(Files.size(file) - f.dataOffset()).isEqualTo(192); // 64 + 68 bytes, padded to 64
        }
    }

    @Test
    void putAllCopiesAFilesMetadata() throws Exception {
        Path a = dir.resolve("a.gguf");
        new GgufWriter().putString("k", "v").putUInt32("n", 7).write(a);
        Path b = dir.resolve("b.gguf");
        try (GgufFile f = GgufFile.open(a)) {
            new GgufWriter().putAll(f.metadata()).write(b);
        }
        try (GgufFile f = GgufFile.open(b)) {
            assertThat(f.metadata().entries()).containsExactlyEntriesOf(GgufFile.open(a).metadata().entries());
            assertThat(f.tensors()).isEmpty();
        }
    }

    @Test
    void writingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws Exception {
        Path file = dir.resolve("m.gguf");
        Files.writeString(file, "old content");
        new GgufWriter().putString("k", "v").write(file);
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.metadata().getString("k")).isEqualTo("v");
        }
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).toList()).containsExactly("m.gguf");
        }
    }

    @Test
    void aFailedWriteLeavesNoFileBehind() throws Exception {
        Path file = dir.resolve("never.gguf");
        java.lang.foreign.MemorySegment data;
        GgufWriter w;
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            data = arena.allocate(4);
            w = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {1}, data);
        }
        assertThatThrownBy(() -> w.write(file)).isInstanceOf(IllegalStateException.class);
        try (var listing = Files.list(dir)) {
            assertThat(listing.toList()).isEmpty();
        }
    }

    @Test
    void versionTwoFilesReadLikeVersionThree() throws Exception {
        Path file = dir.resolve("v2.gguf");
        new GgufWriter().putString("k", "v").addTensor("t", GgmlType.F16, new long[] {2}, new byte[] {1, 2, 3, 4})
                .write(file);
        byte[] bytes = Files.readAllBytes(file);
        bytes[4] = 2; // GGUF v2 has the same little-endian layout as v3
        Files.write(file, bytes);
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.version()).isEqualTo(2);
            assertThat(f.metadata().getString("k")).isEqualTo("v");
            assertThat(f.tensorData(f.tensor("t")).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE))
                    .containsExactly(1, 2, 3, 4);
        }
    }

    @Test
    void duplicateKeyIsAnError() {
        GgufWriter w = new GgufWriter().putString("k", "v");
        assertThatThrownBy(() -> w.putUInt32("k", 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate metadata key 'k'");
    }

    @Test
    void duplicateTensorNameIsAnError() {
        GgufWriter w = new GgufWriter().addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]);
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate tensor name 't'");
    }

    @Test
    void wrongDataSizeIsAnError() {
        assertThatThrownBy(() -> new GgufWriter().addTensor("t", GgmlType.Q4_0, new long[] {32, 2}, new byte[35]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs 36 bytes, got 35");
    }

    @Test
    void badShapesAndValuesAreErrors() {
        GgufWriter w = new GgufWriter();
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.Q4_0, new long[] {16}, new byte[9]))
                .hasMessageContaining("not a whole number of Q4_0 blocks");
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {0}, new byte[0]))
                .hasMessageContaining("invalid dimension 0");
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1, 1, 1, 1, 1}, new byte[4]))
                .hasMessageContaining("5 dimensions");
        assertThatThrownBy(() -> w.put("k", GgufValueType.UINT32, 1L)).hasMessageContaining("needs a Integer");
        assertThatThrownBy(() -> w.putArray("k", GgufValueType.INT32, new long[1])).hasMessageContaining("int[]");
        assertThatThrownBy(() -> w.setAlignment(48)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1L << 62}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than 2^63 bytes");
        assertThatThrownBy(() -> w.addTensor("t", GgmlType.F32, new long[] {1L << 32, 1L << 32}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("element count overflows");
        assertThatThrownBy(() -> w.putUInt32("k", -1)).hasMessageContaining("does not fit UINT32");
    }
}
