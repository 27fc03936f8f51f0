package dev.chorus.gguf;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * Parses the header of a GGUF file (v2 or v3) from a memory segment, distrusting every length and count: nothing is
 * allocated before the bytes it describes are known to exist, so a hostile file yields a {@link GgufFormatException}
 * naming the problem and its byte offset, never an OutOfMemoryError.
 */
final class GgufReader {
    static final int MAGIC = 0x46554747; // "GGUF" little-endian
    static final int DEFAULT_ALIGNMENT = 32;
    static final int MAX_ALIGNMENT = 1 << 20;
    static final String ALIGNMENT_KEY = "general.alignment";
    static final int MAX_DIMS = 4;
    static final int MAX_ARRAY_DEPTH = 8;
    /** llama.cpp's GGML_MAX_NAME (64) counts the terminating NUL, so names of 64 bytes or more are refused. */
    static final int MAX_TENSOR_NAME_BYTES = 63;
    /**
     * Sanity limits far above any real model (which has a few thousand tensors and vocabularies below 2^20 entries)
     * so that a hostile file of a few GB cannot make the parser build billions of Java objects.
     */
    static final long MAX_TENSORS = 1L << 20;
    static final long MAX_METADATA_ENTRIES = 1L << 20;
    static final long MAX_ARRAY_ELEMENTS = 1L << 26;
    static final long MAX_METADATA_ELEMENTS = 1L << 27;
    /** name length + n_dims + type + offset: the smallest possible tensor info. */
    private static final int MIN_TENSOR_INFO_BYTES = 8 + 4 + 4 + 8;
    /** key length + value type + one byte of value: the smallest possible key/value pair. */
    private static final int MIN_KV_BYTES = 8 + 4 + 1;
    /** Strings up to this size are decoded through one reused buffer. */
    private static final int SCRATCH_MAX = 1 << 16;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** What the header says. */
    record Header(int version, GgufMetadata metadata, List<TensorInfo> tensors, int alignment, long dataOffset) {
    }

    private final MemorySegment seg;
    private final long size;
    private long pos;
    /** Array elements decoded so far, against {@link #MAX_METADATA_ELEMENTS}. */
    private long metadataElements;
    private byte[] scratch = new byte[256];
    /** The exact bytes of the last string read when they are not valid UTF-8, else null. */
    private byte[] lastStringRaw;
    /** Key being read, and the exact bytes of its string-array elements when some are not valid UTF-8. */
    private String currentKey;
    private final Map<String, byte[][]> rawStringArrays = new HashMap<>();
    /** Offset of the general.alignment value type, for error messages. */
    private long alignmentAt = -1;

    /** Told the offset of every count, length and offset field read; lets the fuzz test aim at them. */
    private final LongConsumer sizeFields;

    private GgufReader(MemorySegment seg, LongConsumer sizeFields) {
        this.seg = seg;
        this.size = seg.byteSize();
        this.sizeFields = sizeFields;
    }

    static Header parse(MemorySegment seg) {
        return parse(seg, at -> { });
    }

    static Header parse(MemorySegment seg, LongConsumer sizeFields) {
        return new GgufReader(seg, sizeFields).header();
    }

    private Header header() {
        need(4, "file too short for the GGUF magic", "");
        int magic = seg.get(INT, 0);
        if (magic != MAGIC) {
            throw new GgufFormatException(String.format("bad magic 0x%08x, not a GGUF file", magic), 0);
        }
        pos = 4;
        long versionAt = pos;
        int version = readInt("version");
        if (version == 1) {
            throw new GgufFormatException("GGUF version 1 is not supported (only 2 and 3)", versionAt);
        }
        if (version != 2 && version != 3) {
            // As llama.cpp does: a version whose low 16 bits are zero is a small version read in the other byte order.
            String hint = version != 0 && (version & 0xFFFF) == 0
                    ? " (a big-endian GGUF file, which is not supported)" : "";
            throw new GgufFormatException("unsupported GGUF version " + Integer.toUnsignedString(version) + hint,
                    versionAt);
        }
        long countsAt = pos;
        sizeFields.accept(pos);
        long tensorCount = readLong("tensor count");
        sizeFields.accept(pos);
        long kvCount = readLong("metadata count");
        checkCount(tensorCount, MIN_TENSOR_INFO_BYTES, MAX_TENSORS, "tensor count", countsAt);
        checkCount(kvCount, MIN_KV_BYTES, MAX_METADATA_ENTRIES, "metadata count", countsAt + 8);

        Map<String, GgufMetadata.Entry> entries = new LinkedHashMap<>();
        for (long i = 0; i < kvCount; i++) {
            long keyAt = pos;
            String key = readString("metadata key");
            currentKey = key;
            if (entries.containsKey(key)) {
                throw new GgufFormatException("duplicate metadata key '" + key + "'", keyAt);
            }
            long typeAt = pos;
            GgufValueType type = readValueType(typeAt);
            if (key.equals(ALIGNMENT_KEY)) {
                alignmentAt = typeAt;
            }
            Object value = readValue(type, 0);
            entries.put(key, new GgufMetadata.Entry(key, type, value));
        }
        GgufMetadata metadata = new GgufMetadata(entries, rawStringArrays);
        int alignment = alignment(metadata);

        List<TensorInfo> tensors = new ArrayList<>((int) Math.min(tensorCount, 1024));
        Set<String> names = new HashSet<>();
        List<Long> infoOffsets = new ArrayList<>();
        for (long i = 0; i < tensorCount; i++) {
            long infoAt = pos;
            TensorInfo info = readTensorInfo();
            if (!names.add(info.name())) {
                throw new GgufFormatException("duplicate tensor name '" + info.name() + "'", infoAt);
            }
            if (info.offset() % alignment != 0) {
                throw new GgufFormatException("tensor '" + info.name() + "' data offset " + info.offset()
                        + " is not a multiple of the alignment " + alignment, pos - 8);
            }
            tensors.add(info);
            infoOffsets.add(infoAt);
        }
        long dataOffset = align(pos, alignment);
        checkTensorData(tensors, infoOffsets, dataOffset);
        return new Header(version, metadata, List.copyOf(tensors), alignment, dataOffset);
    }

    /** A count of records that each take at least {@code minBytes} must fit in the rest of the file. */
    private void checkCount(long count, int minBytes, long limit, String what, long at) {
        if (count < 0 || count > limit) {
            throw new GgufFormatException("absurd " + what + " " + Long.toUnsignedString(count)
                    + " (at most " + limit + " supported)", at);
        }
        if (count > remaining() / minBytes) {
            throw new GgufFormatException(what + " " + count + " (at least " + minBytes + " bytes each) does not fit in"
                    + " the " + remaining() + " bytes left (file truncated or count corrupt)", at);
        }
    }

    private int alignment(GgufMetadata metadata) {
        if (!metadata.contains(ALIGNMENT_KEY)) {
            return DEFAULT_ALIGNMENT;
        }
        if (metadata.type(ALIGNMENT_KEY) != GgufValueType.UINT32) {
            throw new GgufFormatException(ALIGNMENT_KEY + " has type " + metadata.type(ALIGNMENT_KEY)
                    + ", expected UINT32", alignmentAt);
        }
        long a = metadata.getLong(ALIGNMENT_KEY);
        if (a == 0 || (a & (a - 1)) != 0 || a > MAX_ALIGNMENT) {
            throw new GgufFormatException(ALIGNMENT_KEY + " " + a + " is not a power of two up to 1 MiB",
                    alignmentAt + 4);
        }
        return (int) a;
    }

    private void checkTensorData(List<TensorInfo> tensors, List<Long> infoOffsets, long dataOffset) {
        if (tensors.isEmpty()) {
            return;
        }
        long dataBytes = size - dataOffset;
        if (dataBytes < 0) {
            throw new GgufFormatException("file truncated: the tensor data section would start at " + dataOffset
                    + ", past the end of the file", size);
        }
        Integer[] order = new Integer[tensors.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Long.compare(tensors.get(a).offset(), tensors.get(b).offset()));
        long previousEnd = 0;
        String previousName = null;
        for (int idx : order) {
            TensorInfo t = tensors.get(idx);
            long end = t.offset() + t.byteSize();
            if (end > dataBytes || end < 0) {
                throw new GgufFormatException("tensor '" + t.name() + "' data [" + t.offset() + ", " + end
                        + ") lies outside the " + dataBytes + "-byte data section (file truncated?)", infoOffsets.get(idx));
            }
            if (t.offset() < previousEnd) {
                throw new GgufFormatException("tensor '" + t.name() + "' data overlaps tensor '" + previousName + "'",
                        infoOffsets.get(idx));
            }
            previousEnd = end;
            previousName = t.name();
        }
    }

    private TensorInfo readTensorInfo() {
        String name = readString("tensor name", MAX_TENSOR_NAME_BYTES);
        long dimsAt = pos;
        int nDims = readInt("tensor dimension count");
        if (nDims < 1 || nDims > MAX_DIMS) {
            throw new GgufFormatException("tensor '" + name + "' has " + Integer.toUnsignedString(nDims)
                    + " dimensions (1 to " + MAX_DIMS + " allowed)", dimsAt);
        }
        long[] dims = new long[nDims];
        long elements = 1;
        for (int d = 0; d < nDims; d++) {
            long dimAt = pos;
            sizeFields.accept(pos);
            dims[d] = readLong("tensor dimension");
            if (dims[d] <= 0) {
                throw new GgufFormatException("tensor '" + name + "' has invalid dimension "
                        + Long.toUnsignedString(dims[d]), dimAt);
            }
            elements = multiplyOrFail(elements, dims[d], name, dimAt);
        }
        long typeAt = pos;
        int typeId = readInt("tensor type");
        GgmlType type = GgmlType.byId(typeId);
        if (type == null) {
            throw new GgufFormatException("tensor '" + name + "' has unknown ggml type id "
                    + Integer.toUnsignedString(typeId), typeAt);
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new GgufFormatException("tensor '" + name + "' row of " + dims[0] + " elements is not a whole number of "
                    + type + " blocks of " + type.blockSize(), typeAt);
        }
        multiplyOrFail(elements / type.blockSize(), type.bytesPerBlock(), name, typeAt);
        sizeFields.accept(pos);
        long offset = readLong("tensor data offset");
        if (offset < 0) {
            throw new GgufFormatException("tensor '" + name + "' has absurd data offset " + Long.toUnsignedString(offset),
                    pos - 8);
        }
        return new TensorInfo(name, dims, type, offset);
    }

    private static long multiplyOrFail(long a, long b, String name, long at) {
        long r = a * b;
        if (a != 0 && (r / a != b || r < 0)) {
            throw new GgufFormatException("tensor '" + name + "' size overflows", at);
        }
        return r;
    }

    private GgufValueType readValueType(long at) {
        int id = readInt("value type");
        GgufValueType type = GgufValueType.byId(id);
        if (type == null) {
            throw new GgufFormatException("unknown metadata value type " + Integer.toUnsignedString(id), at);
        }
        return type;
    }

    private Object readValue(GgufValueType type, int depth) {
        return switch (type) {
            case UINT8, INT8 -> readByte();
            case UINT16, INT16 -> readShort();
            case UINT32, INT32 -> readInt("value");
            case UINT64, INT64 -> readLong("value");
            case FLOAT32 -> readFloat();
            case FLOAT64 -> readDouble();
            case BOOL -> readBool();
            case STRING -> readString("string value");
            case ARRAY -> readArray(depth);
        };
    }

    private GgufArray readArray(int depth) {
        long at = pos;
        if (depth >= MAX_ARRAY_DEPTH) {
            throw new GgufFormatException("arrays nested deeper than " + MAX_ARRAY_DEPTH, at);
        }
        GgufValueType elementType = readValueType(at);
        long countAt = pos;
        sizeFields.accept(pos);
        long count = readLong("array length");
        if (count < 0 || count > MAX_ARRAY_ELEMENTS) {
            throw new GgufFormatException("absurd array length " + Long.toUnsignedString(count) + " of " + elementType
                    + " (at most " + MAX_ARRAY_ELEMENTS + " supported)", countAt);
        }
        if (count > remaining() / elementType.minBytes()) {
            throw new GgufFormatException("file truncated: array of " + count + " " + elementType + " (at least "
                    + elementType.minBytes() + " bytes each) does not fit in the " + remaining() + " bytes left",
                    countAt);
        }
        if (count > MAX_METADATA_ELEMENTS - metadataElements) {
            throw new GgufFormatException("metadata arrays hold more than " + MAX_METADATA_ELEMENTS
                    + " elements in all", countAt);
        }
        metadataElements += count;
        int n = (int) count;
        Object values = switch (elementType) {
            case UINT8, INT8 -> {
                byte[] a = new byte[n];
                MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, a, 0, n);
                pos += n;
                yield a;
            }
            case UINT16, INT16 -> {
                short[] a = new short[n];
                MemorySegment.copy(seg, SHORT, pos, a, 0, n);
                pos += 2L * n;
                yield a;
            }
            case UINT32, INT32 -> {
                int[] a = new int[n];
                MemorySegment.copy(seg, INT, pos, a, 0, n);
                pos += 4L * n;
                yield a;
            }
            case UINT64, INT64 -> {
                long[] a = new long[n];
                MemorySegment.copy(seg, LONG, pos, a, 0, n);
                pos += 8L * n;
                yield a;
            }
            case FLOAT32 -> {
                float[] a = new float[n];
                MemorySegment.copy(seg, FLOAT, pos, a, 0, n);
                pos += 4L * n;
                yield a;
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                MemorySegment.copy(seg, DOUBLE, pos, a, 0, n);
                pos += 8L * n;
                yield a;
            }
            case BOOL -> {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readBool();
                }
                yield a;
            }
            case STRING -> {
                String[] a = new String[n];
                byte[][] raw = null;
                for (int i = 0; i < n; i++) {
                    a[i] = readString("string array element");
                    if (lastStringRaw != null && raw == null) {
                        raw = new byte[n][];
                        for (int j = 0; j < i; j++) {
                            raw[j] = a[j].getBytes(StandardCharsets.UTF_8);
                        }
                    }
                    if (raw != null) {
                        raw[i] = lastStringRaw != null ? lastStringRaw : a[i].getBytes(StandardCharsets.UTF_8);
                    }
                }
                if (raw != null && depth == 0) {
                    rawStringArrays.put(currentKey, raw);
                }
                yield a;
            }
            case ARRAY -> {
                GgufArray[] a = new GgufArray[n];
                for (int i = 0; i < n; i++) {
                    a[i] = readArray(depth + 1);
                }
                yield a;
            }
        };
        return new GgufArray(elementType, values);
    }

    private long remaining() {
        return size - pos;
    }

    /** Fails unless {@code n} more bytes exist; the message (what + suffix) is only built on failure. */
    private void need(long n, String what, String suffix) {
        if (n > size - pos) {
            throw new GgufFormatException("file truncated: " + what + suffix, pos);
        }
    }

    private byte readByte() {
        need(1, "reading a 1-byte value", "");
        return seg.get(ValueLayout.JAVA_BYTE, pos++);
    }

    private boolean readBool() {
        long at = pos;
        byte b = readByte();
        if (b != 0 && b != 1) {
            throw new GgufFormatException("invalid bool value " + b, at);
        }
        return b == 1;
    }

    private short readShort() {
        need(2, "reading a 2-byte value", "");
        short v = seg.get(SHORT, pos);
        pos += 2;
        return v;
    }

    private int readInt(String what) {
        need(4, "reading the ", what);
        int v = seg.get(INT, pos);
        pos += 4;
        return v;
    }

    private long readLong(String what) {
        need(8, "reading the ", what);
        long v = seg.get(LONG, pos);
        pos += 8;
        return v;
    }

    private float readFloat() {
        need(4, "reading a float", "");
        float v = seg.get(FLOAT, pos);
        pos += 4;
        return v;
    }

    private double readDouble() {
        need(8, "reading a double", "");
        double v = seg.get(DOUBLE, pos);
        pos += 8;
        return v;
    }

    private String readString(String what) {
        return readString(what, Integer.MAX_VALUE - 8);
    }

    private String readString(String what, int maxLength) {
        long at = pos;
        sizeFields.accept(at);
        if (remaining() < 8) {
            throw new GgufFormatException("file truncated: reading the " + what + " length", pos);
        }
        long len = seg.get(LONG, pos);
        pos += 8;
        if (len < 0 || len > Integer.MAX_VALUE - 8) {
            throw new GgufFormatException("absurd " + what + " length " + Long.toUnsignedString(len), at);
        }
        if (len > maxLength) {
            throw new GgufFormatException(what + " of " + len + " bytes is longer than the " + maxLength
                    + "-byte limit of llama.cpp", at);
        }
        if (len > remaining()) {
            throw new GgufFormatException("file truncated: " + what + " of " + len + " bytes with only " + remaining()
                    + " bytes left", at);
        }
        int n = (int) len;
        byte[] bytes = n <= SCRATCH_MAX ? scratch(n) : new byte[n];
        MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, pos, bytes, 0, n);
        pos += n;
        String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
        // Malformed UTF-8 decodes to U+FFFD; keep the exact bytes then (tokenizers need them), else nothing.
        lastStringRaw = null;
        if (s.indexOf('\uFFFD') >= 0) {
            byte[] back = s.getBytes(StandardCharsets.UTF_8);
            if (!Arrays.equals(back, 0, back.length, bytes, 0, n)) {
                lastStringRaw = Arrays.copyOf(bytes, n);
            }
        }
        return s;
    }

    /** A reused buffer for strings up to {@link #SCRATCH_MAX} bytes: vocabularies hold hundreds of thousands. */
    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, 2 * scratch.length)];
        }
        return scratch;
    }

    static long align(long offset, int alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
