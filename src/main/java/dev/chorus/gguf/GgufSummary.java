package dev.chorus.gguf;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code chorus inspect} reports about a GGUF file: the model's shape from its metadata (architecture-specific
 * keys are read as {@code <arch>.<key>}), its tokenizer, and how many tensors and bytes each ggml type takes.
 * Absent values are null. Head counts are a number, or a list when the file gives one per layer.
 */
public record GgufSummary(
        String file, long fileSize, int ggufVersion, int alignment, long dataOffset,
        String architecture, String name, Long fileTypeId, String fileType,
        long parameters, Long contextLength, Long embeddingLength, Long blockCount,
        Object headCount, Object headCountKv, Long vocabSize,
        String tokenizerModel, String tokenizerPre, boolean chatTemplate,
        int tensorCount, long tensorBytes, Map<String, TypeUsage> tensorTypes, List<String> unsupportedTypes) {

    /** Tensors of one ggml type. */
    public record TypeUsage(int count, long elements, long bytes, boolean computable) {
    }

    public static GgufSummary of(GgufFile f) {
        GgufMetadata m = f.metadata();
        String arch = string(m, "general.architecture");
        String prefix = (arch == null ? "" : arch) + ".";
        Long fileTypeId = integer(m, "general.file_type");

        Map<GgmlType, long[]> byType = new EnumMap<>(GgmlType.class);
        long parameters = 0;
        long bytes = 0;
        for (TensorInfo t : f.tensors()) {
            long[] usage = byType.computeIfAbsent(t.type(), k -> new long[3]);
            usage[0]++;
            usage[1] += t.elementCount();
            usage[2] += t.byteSize();
            parameters += t.elementCount();
            bytes += t.byteSize();
        }
        Map<String, TypeUsage> types = new LinkedHashMap<>();
        List<String> unsupported = new ArrayList<>();
        byType.forEach((type, u) -> {
            types.put(type.name(), new TypeUsage((int) u[0], u[1], u[2], type.computable()));
            if (!type.computable()) {
                unsupported.add(type.name());
            }
        });

        Long vocab = m.type("tokenizer.ggml.tokens") == GgufValueType.ARRAY
                ? (long) m.getArray("tokenizer.ggml.tokens").length() : integer(m, prefix + "vocab_size");
        return new GgufSummary(f.path().toString(), f.fileSize(), f.version(), f.alignment(), f.dataOffset(),
                arch, string(m, "general.name"), fileTypeId,
                fileTypeId == null ? null : LlamaFileType.describe(fileTypeId),
                parameters, integer(m, prefix + "context_length"), integer(m, prefix + "embedding_length"),
                integer(m, prefix + "block_count"), integerOrList(m, prefix + "attention.head_count"),
                integerOrList(m, prefix + "attention.head_count_kv"), vocab,
                string(m, "tokenizer.ggml.model"), string(m, "tokenizer.ggml.pre"),
                m.type("tokenizer.chat_template") == GgufValueType.STRING,
                f.tensors().size(), bytes, types, List.copyOf(unsupported));
    }

    private static String string(GgufMetadata m, String key) {
        return m.type(key) == GgufValueType.STRING ? m.getString(key) : null;
    }

    private static Long integer(GgufMetadata m, String key) {
        GgufValueType type = m.type(key);
        if (type == null) {
            return null;
        }
        return switch (type) {
            case FLOAT32, FLOAT64, BOOL, STRING, ARRAY -> null;
            default -> m.getLong(key);
        };
    }

    private static Object integerOrList(GgufMetadata m, String key) {
        if (m.type(key) != GgufValueType.ARRAY) {
            return integer(m, key);
        }
        try {
            int[] values = m.getIntArray(key);
            List<Long> list = new ArrayList<>(values.length);
            for (int v : values) {
                list.add((long) v);
            }
            return list;
        } catch (RuntimeException notIntegers) {
            return null;
        }
    }
}
