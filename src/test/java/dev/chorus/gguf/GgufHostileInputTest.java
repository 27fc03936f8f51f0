package dev.chorus.gguf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each malformed or hostile file gives a GgufFormatException naming the problem and the exact byte offset. */
@Timeout(30)
class GgufHostileInputTest {
    private static final int ARRAY = GgufValueType.ARRAY.id();

    @TempDir
    Path dir;

    private void assertRejected(RawGguf raw, String problem, long offset) {
        assertRejected(raw.bytes(), problem, offset);
    }

    private void assertRejected(byte[] bytes, String problem, long offset) {
        Path file;
        try {
            file = Files.write(dir.resolve("hostile.gguf"), bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        GgufFormatException e = catchThrowableOfType(GgufFormatException.class, () -> GgufFile.open(file).close());
        assertThat(e).as("expected a GgufFormatException about: " + problem).isNotNull();
        assertThat(e.getMessage()).contains(problem).endsWith("(at byte offset " + offset + ")");
        assertThat(e.offset()).isEqualTo(offset);
    }

    /** One F32 tensor of {@code elements} at data offset {@code offset}, followed by a 16-byte data section. */
    private static RawGguf oneTensor(long offset, long... dims) {
        return RawGguf.header(3, 1, 0).tensor("t", GgmlType.F32, offset, dims);
    }

    @Test
    void badMagic() {
        RawGguf raw = new RawGguf().u32(0x4c4d4747).u32(3).u64(0).u64(0); // "GGML"
        assertRejected(raw, "bad magic 0x4c4d4747, not a GGUF file", 0);
    }

    @Test
    void fileShorterThanTheMagic() {
        assertRejected(new byte[] {'G', 'G'}, "file truncated", 0);
        assertRejected(new byte[0], "file truncated", 0);
    }

    @Test
    void versionOneIsUnsupported() {
        assertRejected(RawGguf.header(1, 0, 0), "GGUF version 1 is not supported", 4);
    }

    @Test
    void versionFourIsUnsupported() {
        assertRejected(RawGguf.header(4, 0, 0), "unsupported GGUF version 4", 4);
    }

    @Test
    void bigEndianFileIsRecognisedAndRefused() {
        assertRejected(RawGguf.header(Integer.reverseBytes(3), 0, 0), "big-endian GGUF file", 4);
    }

    @Test
    void tensorDataOutOfBounds() {
        RawGguf raw = oneTensor(32, 4);
        raw.padTo(32).zeros(16);
        assertRejected(raw, "tensor 't' data [32, 48) lies outside the 16-byte data section", 24);
    }

    @Test
    void tensorDataOffsetBeyondEverything() {
        RawGguf raw = oneTensor(Long.MAX_VALUE - 31, 4); // a multiple of 32 near 2^63: end overflows
        raw.padTo(32).zeros(16);
        assertRejected(raw, "lies outside", 24);
    }

    @Test
    void overlappingTensors() {
        RawGguf raw = RawGguf.header(3, 2, 0).tensor("a", GgmlType.F32, 0, 16);
        long second = raw.pos();
        raw.tensor("b", GgmlType.F32, 32, 8).padTo(32).zeros(96);
        assertRejected(raw, "tensor 'b' data overlaps tensor 'a'", second);
    }

    @Test
    void misalignedTensorOffset() {
        RawGguf raw = oneTensor(4, 4);
        long offsetField = raw.pos() - 8;
        raw.padTo(32).zeros(32);
        assertRejected(raw, "tensor 't' data offset 4 is not a multiple of the alignment 32", offsetField);
    }

    @Test
    void alignmentThatIsNotAPowerOfTwo() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("general.alignment").u32(GgufValueType.UINT32.id());
        long value = raw.pos();
        raw.u32(48);
        assertRejected(raw, "general.alignment 48 is not a power of two", value);
    }

    @Test
    void alignmentOfZero() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("general.alignment").u32(GgufValueType.UINT32.id());
        long value = raw.pos();
        raw.u32(0);
        assertRejected(raw, "general.alignment 0 is not a power of two", value);
    }

    @Test
    void alignmentOfTheWrongType() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("general.alignment");
        long type = raw.pos();
        raw.u32(GgufValueType.INT32.id()).u32(32);
        assertRejected(raw, "general.alignment has type INT32, expected UINT32", type);
    }

    @Test
    void absurdTensorCount() {
        assertRejected(RawGguf.header(3, 1L << 40, 0), "absurd tensor count 1099511627776", 8);
    }

    @Test
    void negativeTensorCount() {
        assertRejected(RawGguf.header(3, -1, 0), "absurd tensor count 18446744073709551615", 8);
    }

    @Test
    void absurdMetadataCount() {
        assertRejected(RawGguf.header(3, 0, 1L << 40), "absurd metadata count 1099511627776", 16);
    }

    @Test
    void plausibleCountThatDoesNotFitTheFile() {
        assertRejected(RawGguf.header(3, 1000, 0), "tensor count 1000 (at least 24 bytes each) does not fit", 8);
    }

    @Test
    void keyOfTwoToTheSixtyBytes() {
        RawGguf raw = RawGguf.header(3, 0, 1).u64(1L << 60).zeros(64);
        assertRejected(raw, "absurd metadata key length 1152921504606846976", 24);
    }

    @Test
    void stringValueOfTwoToTheSixtyBytes() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.STRING.id());
        long length = raw.pos();
        raw.u64(1L << 60).zeros(64);
        assertRejected(raw, "absurd string value length 1152921504606846976", length);
    }

    @Test
    void tensorNameOfTwoToTheSixtyBytes() {
        RawGguf raw = RawGguf.header(3, 1, 0).u64(1L << 60).zeros(64);
        assertRejected(raw, "absurd tensor name length 1152921504606846976", 24);
    }

    @Test
    void hugeArrayLength() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("a").u32(ARRAY).u32(GgufValueType.UINT8.id());
        long length = raw.pos();
        raw.u64(1L << 62).zeros(64);
        assertRejected(raw, "absurd array length 4611686018427387904 of UINT8", length);
    }

    @Test
    void arrayLengthLargerThanTheFile() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("a").u32(ARRAY).u32(GgufValueType.STRING.id());
        long length = raw.pos();
        raw.u64(1_000_000).zeros(64);
        assertRejected(raw, "file truncated: array of 1000000 STRING", length);
    }

    @Test
    void stringArrayElementOfTwoToTheSixtyBytes() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("a").u32(ARRAY).u32(GgufValueType.STRING.id()).u64(2).str("ok");
        long element = raw.pos();
        raw.u64(1L << 60).zeros(64);
        assertRejected(raw, "absurd string array element length 1152921504606846976", element);
    }

    @Test
    void arraysNestedTooDeep() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("a").u32(ARRAY);
        long deepest = 0;
        for (int depth = 0; depth <= GgufReader.MAX_ARRAY_DEPTH; depth++) {
            deepest = raw.pos();
            raw.u32(ARRAY).u64(1);
        }
        raw.zeros(64);
        assertRejected(raw, "arrays nested deeper than 8", deepest);
    }

    @Test
    void unknownTensorTypeId() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t").u32(1).u64(32);
        long type = raw.pos();
        raw.u32(1000).u64(0).padTo(32).zeros(128);
        assertRejected(raw, "tensor 't' has unknown ggml type id 1000", type);
    }

    @Test
    void removedTensorTypeId() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t").u32(1).u64(32);
        long type = raw.pos();
        raw.u32(4).u64(0).padTo(32).zeros(128); // 4 was Q4_2, removed from ggml
        assertRejected(raw, "tensor 't' has unknown ggml type id 4", type);
    }

    @Test
    void unknownValueType() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("k");
        long type = raw.pos();
        raw.u32(13).u32(0);
        assertRejected(raw, "unknown metadata value type 13", type);
    }

    @Test
    void unknownArrayElementType() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("k").u32(ARRAY);
        long type = raw.pos();
        raw.u32(-7).u64(0);
        assertRejected(raw, "unknown metadata value type 4294967289", type);
    }

    @Test
    void invalidBool() {
        RawGguf raw = RawGguf.header(3, 0, 1).str("k").u32(GgufValueType.BOOL.id());
        long value = raw.pos();
        raw.u8(2);
        assertRejected(raw, "invalid bool value 2", value);
    }

    @Test
    void duplicateKey() {
        RawGguf raw = RawGguf.header(3, 0, 2).kvU32("a", 1);
        long second = raw.pos();
        raw.kvU32("a", 2);
        assertRejected(raw, "duplicate metadata key 'a'", second);
    }

    @Test
    void duplicateTensorName() {
        RawGguf raw = RawGguf.header(3, 2, 0).tensor("w", GgmlType.F32, 0, 8);
        long second = raw.pos();
        raw.tensor("w", GgmlType.F32, 32, 8).padTo(32).zeros(64);
        assertRejected(raw, "duplicate tensor name 'w'", second);
    }

    @Test
    void tensorNameLongerThanLlamaCppAllows() {
        RawGguf raw = RawGguf.header(3, 1, 0).tensor("x".repeat(64), GgmlType.F32, 0, 8).padTo(32).zeros(32);
        assertRejected(raw, "tensor name of 64 bytes is longer than the 63-byte limit", 24);
    }

    @Test
    void tooManyDimensions() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t");
        long dims = raw.pos();
        raw.u32(5).u64(1).u64(1).u64(1).u64(1).u64(1).u32(0).u64(0).padTo(32).zeros(32);
        assertRejected(raw, "tensor 't' has 5 dimensions (1 to 4 allowed)", dims);
    }

    @Test
    void noDimensions() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t");
        long dims = raw.pos();
        raw.u32(0).u32(0).u64(0).padTo(32).zeros(32);
        assertRejected(raw, "tensor 't' has 0 dimensions", dims);
    }

    @Test
    void zeroDimension() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t").u32(2).u64(4);
        long dim = raw.pos();
        raw.u64(0).u32(0).u64(0).padTo(32).zeros(32);
        assertRejected(raw, "tensor 't' has invalid dimension 0", dim);
    }

    @Test
    void negativeDimension() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t").u32(1);
        long dim = raw.pos();
        raw.u64(-4).u32(0).u64(0).padTo(32).zeros(32);
        assertRejected(raw, "tensor 't' has invalid dimension 18446744073709551612", dim);
    }

    @Test
    void elementCountOverflow() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t").u32(2).u64(1L << 32);
        long dim = raw.pos();
        raw.u64(1L << 32).u32(0).u64(0).padTo(32).zeros(32);
        assertRejected(raw, "tensor 't' size overflows", dim);
    }

    @Test
    void byteSizeOverflow() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t").u32(1).u64(1L << 62);
        long type = raw.pos();
        raw.u32(GgmlType.F32.id()).u64(0).padTo(32).zeros(32);
        assertRejected(raw, "tensor 't' size overflows", type);
    }

    @Test
    void rowThatIsNotAWholeNumberOfBlocks() {
        RawGguf raw = RawGguf.header(3, 1, 0).str("t").u32(1).u64(16);
        long type = raw.pos();
        raw.u32(GgmlType.Q4_0.id()).u64(0).padTo(32).zeros(32);
        assertRejected(raw, "row of 16 elements is not a whole number of Q4_0 blocks of 32", type);
    }

    @Test
    void truncationAtEveryCutPointIsReportedAsTruncation() throws Exception {
        Path valid = dir.resolve("valid.gguf");
        new GgufWriter().putString("general.architecture", "llama").putUInt32("llama.block_count", 2)
                .putArray("tokenizer.ggml.tokens", GgufValueType.STRING, new String[] {"a", "bc", "<0x0A>"})
                .putArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, new float[] {0f, -1f, -2f})
                .putArray("x.nested", GgufValueType.ARRAY, new GgufArray[] {
                        new GgufArray(GgufValueType.BOOL, new boolean[] {true, false})})
                .addTensor("a", GgmlType.F32, new long[] {3}, new byte[12])
                .addTensor("b", GgmlType.Q8_0, new long[] {32}, new byte[34])
                .write(valid);
        byte[] bytes = Files.readAllBytes(valid);
        long neededBytes;
        try (GgufFile f = GgufFile.open(valid)) {
            TensorInfo last = f.tensor("b");
            neededBytes = f.dataOffset() + last.offset() + last.byteSize();
        }
        for (int cut = 0; cut < neededBytes; cut++) {
            Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, cut));
            GgufFormatException e = catchThrowableOfType(GgufFormatException.class, () -> GgufFile.open(file).close());
            assertThat(e).as("cut at " + cut).isNotNull();
            assertThat(e.getMessage()).as("cut at " + cut).contains("truncated")
                    .endsWith("(at byte offset " + e.offset() + ")");
            assertThat(e.offset()).as("cut at " + cut).isBetween(0L, (long) cut);
        }
        // The padding after the last tensor is not needed: llama.cpp's loader does not read it either.
        Path file = Files.write(dir.resolve("cut.gguf"), Arrays.copyOf(bytes, (int) neededBytes));
        try (GgufFile f = GgufFile.open(file)) {
            assertThat(f.tensors()).hasSize(2);
        }
    }

    @Test
    void directoriesAndMissingFilesAreIoErrorsNotHangs() {
        assertThatThrownBy(() -> GgufFile.open(dir)).isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> GgufFile.open(dir.resolve("missing.gguf")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("missing.gguf");
    }

    @Test
    void closingTwiceIsHarmlessAndSegmentsDieWithTheFile() throws Exception {
        Path file = dir.resolve("ok.gguf");
        new GgufWriter().addTensor("w", GgmlType.F32, new long[] {4}, MemorySegment.ofArray(new float[] {1, 2, 3, 4}))
                .write(file);
        GgufFile f = GgufFile.open(file);
        TensorInfo w = f.tensor("w");
        MemorySegment data = f.tensorData(w);
        assertThat(data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, 3)).isEqualTo(4f);
        f.close();
        f.close();
        assertThat(f.isOpen()).isFalse();
        assertThatThrownBy(() -> data.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.tensorData(w).get(ValueLayout.JAVA_BYTE, 0))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.mapping().get(ValueLayout.JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void segmentsAreReadOnly() throws Exception {
        Path file = dir.resolve("ok.gguf");
        new GgufWriter().addTensor("w", GgmlType.F32, new long[] {1}, new byte[4]).write(file);
        try (GgufFile f = GgufFile.open(file)) {
            MemorySegment data = f.tensorData(f.tensor("w"));
            assertThatThrownBy(() -> data.set(ValueLayout.JAVA_BYTE, 0, (byte) 1))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
