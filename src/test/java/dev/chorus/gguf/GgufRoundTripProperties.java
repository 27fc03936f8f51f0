package dev.chorus.gguf;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** read(write(x)) == x for arbitrary metadata of every value type (nested arrays too) and arbitrary tensors. */
class GgufRoundTripProperties {
    private static final List<GgmlType> TENSOR_TYPES = List.of(GgmlType.F32, GgmlType.F16, GgmlType.BF16,
            GgmlType.Q4_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.I32, GgmlType.IQ4_XS);

    record TensorSpec(String name, GgmlType type, long[] dims, byte[] data) {
    }

    record Model(Map<String, GgufMetadata.Entry> metadata, List<TensorSpec> tensors, Optional<Integer> alignment) {
    }

    @Property(tries = 150)
    void readBackEqualsWhatWasWritten(@ForAll("models") Model model) throws Exception {
        GgufWriter writer = new GgufWriter();
        for (GgufMetadata.Entry e : model.metadata().values()) {
            writer.put(e.key(), e.type(), e.value());
        }
        model.alignment().ifPresent(writer::setAlignment);
        for (TensorSpec t : model.tensors()) {
            writer.addTensor(t.name(), t.type(), t.dims(), t.data());
        }
        Path file = Files.createTempFile("chorus-roundtrip", ".gguf");
        try {
            writer.write(file);
            try (GgufFile f = GgufFile.open(file)) {
                Map<String, GgufMetadata.Entry> expected = new LinkedHashMap<>(model.metadata());
                model.alignment().ifPresent(a -> expected.put("general.alignment",
                        new GgufMetadata.Entry("general.alignment", GgufValueType.UINT32, a)));
                assertThat(new ArrayList<>(f.metadata().entries().values()))
                        .containsExactlyElementsOf(expected.values());
                assertThat(f.version()).isEqualTo(3);
                assertThat(f.alignment()).isEqualTo(model.alignment().orElse(32));
                assertThat(f.tensors()).hasSameSizeAs(model.tensors());
                for (int i = 0; i < model.tensors().size(); i++) {
                    TensorSpec spec = model.tensors().get(i);
                    TensorInfo info = f.tensors().get(i);
                    assertThat(info.name()).isEqualTo(spec.name());
                    assertThat(info.type()).isEqualTo(spec.type());
                    assertThat(info.dims()).isEqualTo(spec.dims());
                    assertThat((f.dataOffset() + info.offset()) % f.alignment()).isZero();
                    assertThat(f.tensorData(info).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(spec.data());
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Provide
    Arbitrary<Model> models() {
        Arbitrary<Map<String, GgufMetadata.Entry>> metadata = entries().list().ofMaxSize(12).map(list -> {
            Map<String, GgufMetadata.Entry> map = new LinkedHashMap<>();
            list.forEach(e -> map.putIfAbsent(e.key(), e));
            return map;
        });
        Arbitrary<List<TensorSpec>> tensors = tensor().list().ofMaxSize(6).uniqueElements(TensorSpec::name);
        Arbitrary<Optional<Integer>> alignment = Arbitraries.of(1, 2, 8, 32, 64, 256, 4096).optional(0.5);
        return Combinators.combine(metadata, tensors, alignment).as(Model::new);
    }

    private Arbitrary<GgufMetadata.Entry> entries() {
        Arbitrary<String> keys = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_')
                .ofMinLength(1).ofMaxLength(24).filter(k -> !k.equals("general.alignment"));
        return Arbitraries.of(GgufValueType.values()).flatMap(type ->
                Combinators.combine(keys, value(type, 0)).as((k, v) -> new GgufMetadata.Entry(k, type, v)));
    }

    private Arbitrary<Object> value(GgufValueType type, int depth) {
        Arbitrary<?> a = switch (type) {
            case UINT8, INT8 -> Arbitraries.bytes();
            case UINT16, INT16 -> Arbitraries.shorts();
            case UINT32, INT32 -> Arbitraries.integers();
            case UINT64, INT64 -> Arbitraries.longs();
            case FLOAT32 -> Arbitraries.oneOf(Arbitraries.floats(),
                    Arbitraries.of(Float.NaN, Float.NEGATIVE_INFINITY, -0.0f, Float.MIN_VALUE, Float.MAX_VALUE));
            case FLOAT64 -> Arbitraries.oneOf(Arbitraries.doubles(),
                    Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, -0.0, Double.MIN_VALUE));
            case BOOL -> Arbitraries.of(true, false);
            case STRING -> unicodeStrings();
            case ARRAY -> array(depth);
        };
        return a.map(v -> (Object) v);
    }

    private Arbitrary<GgufArray> array(int depth) {
        GgufValueType[] elementTypes = depth >= 2
                ? java.util.Arrays.stream(GgufValueType.values()).filter(t -> t != GgufValueType.ARRAY)
                        .toArray(GgufValueType[]::new)
                : GgufValueType.values();
        return Arbitraries.of(elementTypes).flatMap(type -> {
            Arbitrary<List<Object>> list = value(type, depth + 1).list().ofMaxSize(depth == 0 ? 20 : 4);
            return list.map(values -> new GgufArray(type, toJavaArray(type, values)));
        });
    }

    private static Object toJavaArray(GgufValueType type, List<Object> values) {
        int n = values.size();
        Object array = switch (type) {
            case UINT8, INT8 -> new byte[n];
            case UINT16, INT16 -> new short[n];
            case UINT32, INT32 -> new int[n];
            case UINT64, INT64 -> new long[n];
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
            case BOOL -> new boolean[n];
            case STRING -> new String[n];
            case ARRAY -> new GgufArray[n];
        };
        for (int i = 0; i < n; i++) {
            java.lang.reflect.Array.set(array, i, values.get(i));
        }
        return array;
    }

    private static Arbitrary<String> unicodeStrings() {
        Arbitrary<Integer> codePoint = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0x7F),
                Arbitraries.integers().between(0x80, 0xD7FF),
                Arbitraries.integers().between(0xE000, 0x10FFFF));
        return codePoint.list().ofMaxSize(16).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    private static Arbitrary<TensorSpec> tensor() {
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('.', '_')
                .ofMinLength(1).ofMaxLength(40);
        Arbitrary<long[]> shape = Arbitraries.longs().between(1, 3).list().ofMinSize(1).ofMaxSize(4)
                .map(l -> l.stream().mapToLong(Long::longValue).toArray());
        return Combinators.combine(names, Arbitraries.of(TENSOR_TYPES), shape, Arbitraries.randoms())
                .as((name, type, multipliers, random) -> {
                    long[] dims = multipliers.clone();
                    dims[0] = multipliers[0] * type.blockSize();
                    long elements = 1;
                    for (long d : dims) {
                        elements *= d;
                    }
                    byte[] data = new byte[(int) type.bytesFor(elements)];
                    random.nextBytes(data);
                    return new TensorSpec(name, type, dims, data);
                });
    }
}
