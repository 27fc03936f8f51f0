package dev.chorus.gguf;

import dev.chorus.ChorusException;
import dev.chorus.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded mutations of valid GGUF files (truncations, bit flips, byte sets, inserted or deleted bytes, corrupted
 * length/count/offset fields): each
 * must either parse, with every tensor slice readable, or fail with a {@link GgufFormatException} (or
 * {@link ChorusException}). Any other exception or error, or a hang, fails the test and names the seed to replay.
 */
class GgufFuzzTest {
    private static final int MUTATIONS = 12_000;
    private static final long MASTER_SEED = 0x6775_6666_2023L;
    /** Every this-many mutations go through a real file and {@link GgufFile#open}, the rest parse in memory. */
    private static final int FILE_EVERY = 100;

    @TempDir
    Path dir;

    /** A valid file, the offsets of its size fields, and where its tensor data starts. */
    record Seed(String name, byte[] bytes, long[] sizeFields, long dataOffset) {
        static Seed of(String name, byte[] bytes) {
            List<Long> fields = new ArrayList<>();
            GgufReader.Header header = GgufReader.parse(MemorySegment.ofArray(bytes), fields::add);
            return new Seed(name, bytes, fields.stream().mapToLong(Long::longValue).toArray(), header.dataOffset());
        }
    }

    @Test
    @Timeout(120)
    void mutationsEitherParseOrFailCleanly() throws Exception {
        List<Seed> seeds = seeds();
        int parsed = 0;
        int rejected = 0;
        for (int i = 0; i < MUTATIONS; i++) {
            long seed = MASTER_SEED + i;
            Random random = new Random(seed);
            Seed base = seeds.get(random.nextInt(seeds.size()));
            byte[] bytes = base.bytes().clone();
            StringBuilder what = new StringBuilder(base.name());
            Mutant mutant = mutate(base, bytes, random, what);
            try {
                if (i % FILE_EVERY == 0) {
                    parseFile(mutant.bytes(), mutant.length());
                } else {
                    parseInMemory(MemorySegment.ofArray(mutant.bytes()).asSlice(0, mutant.length()));
                }
                parsed++;
            } catch (ChorusException expected) {
                rejected++;
            } catch (Throwable t) {
                fail("mutation seed " + seed + " (" + what + ") threw " + t, t);
            }
        }
        // The mutations must exercise both paths, or the test proves little.
        assertThat(parsed).isGreaterThan(MUTATIONS / 50);
        assertThat(rejected).isGreaterThan(MUTATIONS / 2);
    }

    private static void parseInMemory(MemorySegment segment) {
        GgufReader.Header header = GgufReader.parse(segment);
        for (TensorInfo t : header.tensors()) {
            touch(segment.asSlice(header.dataOffset() + t.offset(), t.byteSize()));
        }
    }

    private void parseFile(byte[] bytes, int length) throws Exception {
        Path file = dir.resolve("fuzz.gguf");
        try (var out = Files.newOutputStream(file)) {
            out.write(bytes, 0, length);
        }
        try (GgufFile f = GgufFile.open(file)) {
            for (TensorInfo t : f.tensors()) {
                touch(f.tensorData(t));
            }
        }
    }

    private static void touch(MemorySegment data) {
        data.get(ValueLayout.JAVA_BYTE, 0);
        data.get(ValueLayout.JAVA_BYTE, data.byteSize() - 1);
    }

    /** The mutated bytes; only the first {@code length} count (truncation without copying). */
    record Mutant(byte[] bytes, int length) {
    }

    /** Mutates {@code bytes} in place, or a copy when bytes are inserted or deleted. */
    private static Mutant mutate(Seed seed, byte[] bytes, Random random, StringBuilder what) {
        int length = bytes.length;
        int rounds = 1 + (random.nextInt(4) == 0 ? random.nextInt(3) : 0);
        for (int r = 0; r < rounds; r++) {
            switch (random.nextInt(6)) {
                case 0 -> {
                    length = random.nextInt(4) == 0 ? random.nextInt(length + 1)
                            : random.nextInt((int) Math.min(length, seed.dataOffset() + 64) + 1);
                    what.append(" truncate@").append(length);
                }
                case 1 -> {
                    int flips = 1 + random.nextInt(8);
                    for (int k = 0; k < flips; k++) {
                        int at = position(seed, length, random);
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                        what.append(" flip@").append(at);
                    }
                }
                case 2 -> {
                    int sets = 1 + random.nextInt(4);
                    for (int k = 0; k < sets; k++) {
                        int at = position(seed, length, random);
                        bytes[at] = (byte) switch (random.nextInt(3)) {
                            case 0 -> 0;
                            case 1 -> 0xFF;
                            default -> random.nextInt(256);
                        };
                        what.append(" set@").append(at);
                    }
                }
                case 3 -> {
                    int at = (int) seed.sizeFields()[random.nextInt(seed.sizeFields().length)];
                    if (at + 8 <= length) {
                        long value = boundaryValue(random, length - at, readLong(bytes, at));
                        writeLong(bytes, at, value);
                        what.append(" size@").append(at).append('=').append(Long.toUnsignedString(value));
                    }
                }
                case 5 -> {
                    // Shift everything after a header position by inserting or deleting 1-16 bytes.
                    int at = position(seed, length, random);
                    int n = 1 + random.nextInt(16);
                    byte[] shifted;
                    if (random.nextBoolean()) {
                        shifted = new byte[length + n];
                        System.arraycopy(bytes, 0, shifted, 0, at);
                        for (int k = 0; k < n; k++) {
                            shifted[at + k] = (byte) random.nextInt(256);
                        }
                        System.arraycopy(bytes, at, shifted, at + n, length - at);
                        what.append(" insert").append(n).append('@').append(at);
                    } else {
                        n = Math.min(n, length - at);
                        shifted = new byte[length - n];
                        System.arraycopy(bytes, 0, shifted, 0, at);
                        System.arraycopy(bytes, at + n, shifted, at, length - at - n);
                        what.append(" delete").append(n).append('@').append(at);
                    }
                    bytes = shifted;
                    length = shifted.length;
                }
                default -> {
                    // A 4-byte field somewhere in the header: type ids, dimension counts, version.
                    int at = random.nextInt((int) Math.max(1, Math.min(length, seed.dataOffset()) - 3));
                    if (at + 4 <= length) {
                        int[] values = {0, 1, 2, 4, 5, 9, 12, 13, 31, 39, 40, 255, -1, Integer.MIN_VALUE,
                                Integer.MAX_VALUE};
                        int value = values[random.nextInt(values.length)];
                        for (int b = 0; b < 4; b++) {
                            bytes[at + b] = (byte) (value >>> (8 * b));
                        }
                        what.append(" u32@").append(at).append('=').append(value);
                    }
                }
            }
        }
        return new Mutant(bytes, length);
    }

    /** Mostly inside the header, where every byte matters; sometimes anywhere. */
    private static int position(Seed seed, int length, Random random) {
        if (length == 0) {
            return 0;
        }
        int header = (int) Math.min(length, seed.dataOffset());
        return random.nextInt(8) == 0 || header == 0 ? random.nextInt(length) : random.nextInt(header);
    }

    private static long boundaryValue(Random random, long remaining, long original) {
        long[] values = {0, 1, original - 1, original + 1, remaining - 1, remaining, remaining + 1, remaining * 2,
                Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, 1L << 32, (1L << 32) - 1, 1L << 40, 1L << 60,
                Long.MAX_VALUE, Long.MIN_VALUE, -1, -8};
        return values[random.nextInt(values.length)];
    }

    private static long readLong(byte[] b, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    private static void writeLong(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private List<Seed> seeds() throws Exception {
        List<Seed> seeds = new ArrayList<>();
        seeds.add(Seed.of("every-type", everyType()));
        seeds.add(Seed.of("vocab-like", vocabLike()));
        Path shared = SharedData.root();
        if (shared != null) {
            for (String small : List.of("models/stories260K.gguf", "models/synth-llama-gqa.Q2_K.gguf")) {
                Path p = shared.resolve(small);
                if (Files.exists(p)) {
                    seeds.add(Seed.of(small, Files.readAllBytes(p)));
                }
            }
        }
        return seeds;
    }

    private static byte[] everyType() throws Exception {
        GgufWriter w = new GgufWriter()
                .put("u8", GgufValueType.UINT8, (byte) 200).put("i8", GgufValueType.INT8, (byte) -3)
                .put("u16", GgufValueType.UINT16, (short) 60000).put("i16", GgufValueType.INT16, (short) -3)
                .putUInt32("u32", 7).putInt32("i32", -7).putFloat32("f32", 0.5f).putBool("bool", true)
                .putString("str", "héllo").putUInt64("u64", 1L << 40).put("i64", GgufValueType.INT64, -1L)
                .put("f64", GgufValueType.FLOAT64, 2.5)
                .putArray("nested", GgufValueType.ARRAY, new GgufArray[] {
                        new GgufArray(GgufValueType.STRING, new String[] {"x", "yz"}),
                        new GgufArray(GgufValueType.ARRAY, new GgufArray[] {
                                new GgufArray(GgufValueType.INT16, new short[] {1, 2, 3})})})
                .putArray("bools", GgufValueType.BOOL, new boolean[] {true, false, true})
                .setAlignment(64)
                .addTensor("f32", GgmlType.F32, new long[] {4, 2}, new byte[32])
                .addTensor("q4k", GgmlType.Q4_K, new long[] {256}, new byte[144])
                .addTensor("f16", GgmlType.F16, new long[] {2, 2, 2}, new byte[16]);
        return toBytes(w);
    }

    private static byte[] vocabLike() throws Exception {
        int n = 64;
        String[] tokens = new String[n];
        float[] scores = new float[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            tokens[i] = i < 3 ? "<s" + i + ">" : "tok" + i;
            scores[i] = -i;
            types[i] = i < 3 ? 3 : 1;
        }
        GgufWriter w = new GgufWriter().putString("general.architecture", "llama")
                .putUInt32("llama.context_length", 128)
                .putString("tokenizer.ggml.model", "llama")
                .putArray("tokenizer.ggml.tokens", GgufValueType.STRING, tokens)
                .putArray("tokenizer.ggml.scores", GgufValueType.FLOAT32, scores)
                .putArray("tokenizer.ggml.token_type", GgufValueType.INT32, types)
                .putArray("tokenizer.ggml.merges", GgufValueType.STRING, new String[] {"t o", "to k"})
                .addTensor("token_embd.weight", GgmlType.Q8_0, new long[] {32, n}, new byte[34 * n])
                .addTensor("output_norm.weight", GgmlType.F32, new long[] {32}, new byte[128]);
        return toBytes(w);
    }

    private static byte[] toBytes(GgufWriter w) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        return out.toByteArray();
    }
}
