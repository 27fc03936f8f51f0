package dev.chorus.gguf;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a GGUF v3 file: metadata in insertion order, then tensor infos, then each tensor's bytes at an offset aligned
 * to {@code general.alignment} (32 unless set). Values use the Java representation of {@link GgufMetadata} and
 * {@link GgufArray} (unsigned types keep their bits in the signed Java type of the same width). Tensor bytes are
 * streamed from the caller's segments at {@link #write(Path)}, so the caller keeps them alive until then; the file is
 * never built in memory.
 */
public final class GgufWriter {
    static final int VERSION = 3;
    private static final int MAX_TENSOR_NAME_BYTES = GgufReader.MAX_TENSOR_NAME_BYTES;
    private static final String ALIGNMENT_KEY = GgufReader.ALIGNMENT_KEY;
    /** The GGUF specification limits keys to 2^16-1 bytes. */
    private static final int MAX_KEY_BYTES = 65_535;

    private final Map<String, GgufMetadata.Entry> metadata = new LinkedHashMap<>();
    private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();
    /** Exact element bytes of string arrays that are not all valid UTF-8; written instead of the strings. */
    private final Map<String, byte[][]> rawStringArrays = new LinkedHashMap<>();

    private record PendingTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
    }

    /**
     * Adds one metadata entry.
     *
     * @throws IllegalArgumentException when the key is already present, or the value does not match the type
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        if (metadata.containsKey(key)) {
            throw new IllegalArgumentException("duplicate metadata key '" + key + "'");
        }
        checkUnicode("key", key);
        if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("metadata key of " + key.length() + " chars is longer than the GGUF"
                    + " limit of " + MAX_KEY_BYTES + " bytes");
        }
        checkValue(key, type, value, 0);
        if (key.equals(ALIGNMENT_KEY)) {
            checkAlignment(type, value);
        }
        metadata.put(key, new GgufMetadata.Entry(key, type, value));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        return put(key, GgufValueType.STRING, value);
    }

    /** A UINT32 value in 0 .. 2^32-1. */
    public GgufWriter putUInt32(String key, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("metadata key '" + key + "': " + value + " does not fit UINT32");
        }
        return put(key, GgufValueType.UINT32, (int) value);
    }

    public GgufWriter putInt32(String key, int value) {
        return put(key, GgufValueType.INT32, value);
    }

    /** A UINT64 value; negative Java longs stand for values of 2^63 and above, as in {@link GgufMetadata}. */
    public GgufWriter putUInt64(String key, long value) {
        return put(key, GgufValueType.UINT64, value);
    }

    public GgufWriter putFloat32(String key, float value) {
        return put(key, GgufValueType.FLOAT32, value);
    }

    public GgufWriter putBool(String key, boolean value) {
        return put(key, GgufValueType.BOOL, value);
    }

    public GgufWriter putArray(String key, GgufArray value) {
        return put(key, GgufValueType.ARRAY, value);
    }

    /** An array of {@code elementType} from a Java array of the matching class (see {@link GgufArray}). */
    public GgufWriter putArray(String key, GgufValueType elementType, Object values) {
        return put(key, GgufValueType.ARRAY, new GgufArray(elementType, values));
    }

    /** Adds every entry of {@code source}, in its order; a key already present here is an error. */
    public GgufWriter putAll(GgufMetadata source) {
        for (GgufMetadata.Entry e : source.entries().values()) {
            byte[][] raw = source.rawStringArray(e.key());
            if (raw != null) {
                putStringArrayBytes(e.key(), raw);
            } else {
                put(e.key(), e.type(), e.value());
            }
        }
        return this;
    }

    /**
     * A string array given as the exact bytes of each element, written as they are even when they are not valid
     * UTF-8 (some vocabularies hold such tokens); see {@link GgufMetadata#getStringArrayBytes(String)}.
     */
    public GgufWriter putStringArrayBytes(String key, byte[][] elements) {
        String[] strings = new String[elements.length];
        byte[][] copy = new byte[elements.length][];
        for (int i = 0; i < elements.length; i++) {
            copy[i] = elements[i].clone();
            strings[i] = new String(copy[i], StandardCharsets.UTF_8);
        }
        put(key, GgufValueType.ARRAY, new GgufArray(GgufValueType.STRING, strings));
        rawStringArrays.put(key, copy);
        return this;
    }

    /** Removes an entry (so that it can be put again with another value); returns whether it was present. */
    public boolean remove(String key) {
        rawStringArrays.remove(key);
        return metadata.remove(key) != null;
    }

    /** Sets {@code general.alignment} (UINT32), replacing any earlier value. Must be a power of two up to 1 MiB. */
    public GgufWriter setAlignment(int alignment) {
        checkAlignment(GgufValueType.UINT32, alignment);
        metadata.put(ALIGNMENT_KEY, new GgufMetadata.Entry(ALIGNMENT_KEY, GgufValueType.UINT32, alignment));
        return this;
    }

    /** The alignment the file will use: {@code general.alignment} when set, else 32. */
    public int alignment() {
        GgufMetadata.Entry e = metadata.get(ALIGNMENT_KEY);
        return e == null ? GgufReader.DEFAULT_ALIGNMENT : (Integer) e.value();
    }

    /**
     * Adds a tensor. {@code dims} are in ggml order (dims[0] innermost). {@code data} must hold exactly the bytes the
     * type and shape need; it is read only at {@link #write(Path)}.
     *
     * @throws IllegalArgumentException for a duplicate or over-long name, a bad shape, or a wrong data size
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, MemorySegment data) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (tensors.containsKey(name)) {
            throw new IllegalArgumentException("duplicate tensor name '" + name + "'");
        }
        checkUnicode("tensor name", name);
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_TENSOR_NAME_BYTES) {
            throw new IllegalArgumentException("tensor name '" + name + "' is longer than " + MAX_TENSOR_NAME_BYTES
                    + " bytes (llama.cpp's limit)");
        }
        long expected = expectedBytes(name, type, dims);
        if (data.byteSize() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "' of type " + type + " and dims "
                    + java.util.Arrays.toString(dims) + " needs " + expected + " bytes, got " + data.byteSize());
        }
        tensors.put(name, new PendingTensor(name, type, dims.clone(), data));
        return this;
    }

    public GgufWriter addTensor(String name, GgmlType type, long[] dims, byte[] data) {
        return addTensor(name, type, dims, MemorySegment.ofArray(data));
    }

    private static long expectedBytes(String name, GgmlType type, long[] dims) {
        if (dims.length < 1 || dims.length > GgufReader.MAX_DIMS) {
            throw new IllegalArgumentException("tensor '" + name + "' has " + dims.length + " dimensions (1 to "
                    + GgufReader.MAX_DIMS + " allowed)");
        }
        long elements = 1;
        for (long d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has invalid dimension " + d);
            }
            try {
                elements = Math.multiplyExact(elements, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "' element count overflows");
            }
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "' row of " + dims[0]
                    + " elements is not a whole number of " + type + " blocks of " + type.blockSize());
        }
        try {
            return type.bytesFor(elements);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    /**
     * Writes the file, replacing any existing one. The bytes go to a temporary file beside it that is renamed into
     * place at the end, so a failure never leaves a half-written GGUF under {@code path}.
     */
    public void write(Path path) throws IOException {
        Path absolute = path.toAbsolutePath();
        // Not Files.createTempFile: its owner-only permissions would carry over to the model file.
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "."
                + Long.toHexString(System.nanoTime()) + ".partial");
        try {
            try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                write(out);
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Writes the file to a stream (not closed). */
    public void write(OutputStream stream) throws IOException {
        int alignment = alignment();
        LittleEndianOutput out = new LittleEndianOutput(new BufferedOutputStream(stream, 1 << 16));
        out.u32(GgufReader.MAGIC);
        out.u32(VERSION);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (GgufMetadata.Entry e : metadata.values()) {
            out.string(e.key());
            out.u32(e.type().id());
            byte[][] raw = rawStringArrays.get(e.key());
            if (raw != null) {
                out.u32(GgufValueType.STRING.id());
                out.u64(raw.length);
                for (byte[] element : raw) {
                    out.u64(element.length);
                    out.bytes(element);
                }
            } else {
                writeValue(out, e.type(), e.value());
            }
        }
        long offset = 0;
        for (PendingTensor t : tensors.values()) {
            out.string(t.name());
            out.u32(t.dims().length);
            for (long d : t.dims()) {
                out.u64(d);
            }
            out.u32(t.type().id());
            out.u64(offset);
            offset = GgufReader.align(offset + t.data().byteSize(), alignment);
        }
        out.padTo(alignment);
        long dataStart = out.position();
        for (PendingTensor t : tensors.values()) {
            out.padTo(alignment);
            out.segment(t.data());
        }
        // llama.cpp pads the last tensor too, so the data section is a whole number of alignment units.
        if (!tensors.isEmpty()) {
            out.padTo(alignment);
        }
        assert tensors.isEmpty() || out.position() - dataStart == offset;
        out.flush();
    }

    private static void writeValue(LittleEndianOutput out, GgufValueType type, Object value) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.u8((Byte) value);
            case UINT16, INT16 -> out.u16((Short) value);
            case UINT32, INT32 -> out.u32((Integer) value);
            case UINT64, INT64 -> out.u64((Long) value);
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) value));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits((Double) value));
            case BOOL -> out.u8((byte) ((Boolean) value ? 1 : 0));
            case STRING -> out.string((String) value);
            case ARRAY -> writeArray(out, (GgufArray) value);
        }
    }

    private static void writeArray(LittleEndianOutput out, GgufArray array) throws IOException {
        out.u32(array.elementType().id());
        out.u64(array.length());
        switch (array.values()) {
            case byte[] a -> out.bytes(a);
            case short[] a -> {
                for (short v : a) {
                    out.u16(v);
                }
            }
            case int[] a -> {
                for (int v : a) {
                    out.u32(v);
                }
            }
            case long[] a -> {
                for (long v : a) {
                    out.u64(v);
                }
            }
            case float[] a -> {
                for (float v : a) {
                    out.u32(Float.floatToRawIntBits(v));
                }
            }
            case double[] a -> {
                for (double v : a) {
                    out.u64(Double.doubleToRawLongBits(v));
                }
            }
            case boolean[] a -> {
                for (boolean v : a) {
                    out.u8((byte) (v ? 1 : 0));
                }
            }
            case String[] a -> {
                for (String v : a) {
                    out.string(v);
                }
            }
            case GgufArray[] a -> {
                for (GgufArray v : a) {
                    writeArray(out, v);
                }
            }
            default -> throw new IllegalStateException("unchecked array class " + array.values().getClass());
        }
    }

    private static void checkAlignment(GgufValueType type, Object value) {
        if (type != GgufValueType.UINT32) {
            throw new IllegalArgumentException(ALIGNMENT_KEY + " must be UINT32, got " + type);
        }
        int a = (Integer) value;
        if (a <= 0 || Integer.bitCount(a) != 1 || a > GgufReader.MAX_ALIGNMENT) {
            throw new IllegalArgumentException(ALIGNMENT_KEY + " must be a power of two up to 1 MiB, got "
                    + Integer.toUnsignedString(a));
        }
    }

    /** Checks that {@code value} is the Java representation of {@code type}, naming the key when it is not. */
    private static void checkValue(String key, GgufValueType type, Object value, int depth) {
        Class<?> expected = switch (type) {
            case UINT8, INT8 -> Byte.class;
            case UINT16, INT16 -> Short.class;
            case UINT32, INT32 -> Integer.class;
            case UINT64, INT64 -> Long.class;
            case FLOAT32 -> Float.class;
            case FLOAT64 -> Double.class;
            case BOOL -> Boolean.class;
            case STRING -> String.class;
            case ARRAY -> GgufArray.class;
        };
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("metadata key '" + key + "' of type " + type + " needs a "
                    + expected.getSimpleName() + ", got " + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        if (value instanceof GgufArray array) {
            checkArray(key, array, depth);
        } else if (value instanceof String string) {
            checkUnicode(key, string);
        }
    }

    /** A string with a lone surrogate has no UTF-8 form; writing it would silently change it. */
    private static void checkUnicode(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("metadata key '" + key + "': string has a lone surrogate at index "
                        + i + " and cannot be written as UTF-8");
            }
        }
    }

    private static void checkArray(String key, GgufArray array, int depth) {
        if (depth >= GgufReader.MAX_ARRAY_DEPTH) {
            throw new IllegalArgumentException("metadata key '" + key + "' nests arrays deeper than "
                    + GgufReader.MAX_ARRAY_DEPTH);
        }
        Class<?> expected = switch (array.elementType()) {
            case UINT8, INT8 -> byte[].class;
            case UINT16, INT16 -> short[].class;
            case UINT32, INT32 -> int[].class;
            case UINT64, INT64 -> long[].class;
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case BOOL -> boolean[].class;
            case STRING -> String[].class;
            case ARRAY -> GgufArray[].class;
        };
        if (array.values().getClass() != expected) {
            throw new IllegalArgumentException("metadata key '" + key + "': an array of " + array.elementType()
                    + " needs a " + expected.getSimpleName() + ", got " + array.values().getClass().getSimpleName());
        }
        if (array.values() instanceof Object[] elements) {
            for (Object element : elements) {
                if (element == null) {
                    throw new IllegalArgumentException("metadata key '" + key + "': array holds a null element");
                }
                if (element instanceof GgufArray nested) {
                    checkArray(key, nested, depth + 1);
                } else if (element instanceof String string) {
                    checkUnicode(key, string);
                }
            }
        }
    }

    /** Little-endian primitive output that counts the bytes written (for alignment padding). */
    private static final class LittleEndianOutput {
        private static final int CHUNK = 1 << 16;
        private final OutputStream out;
        private final byte[] scratch = new byte[8];
        private byte[] chunk;
        private long position;

        LittleEndianOutput(OutputStream out) {
            this.out = out;
        }

        long position() {
            return position;
        }

        void u8(byte v) throws IOException {
            out.write(v);
            position++;
        }

        void u16(short v) throws IOException {
            scratch[0] = (byte) v;
            scratch[1] = (byte) (v >>> 8);
            out.write(scratch, 0, 2);
            position += 2;
        }

        void u32(int v) throws IOException {
            for (int i = 0; i < 4; i++) {
                scratch[i] = (byte) (v >>> (8 * i));
            }
            out.write(scratch, 0, 4);
            position += 4;
        }

        void u64(long v) throws IOException {
            for (int i = 0; i < 8; i++) {
                scratch[i] = (byte) (v >>> (8 * i));
            }
            out.write(scratch, 0, 8);
            position += 8;
        }

        void bytes(byte[] b) throws IOException {
            out.write(b);
            position += b.length;
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            bytes(b);
        }

        void padTo(int alignment) throws IOException {
            long pad = GgufReader.align(position, alignment) - position;
            for (long i = 0; i < pad; i++) {
                out.write(0);
            }
            position += pad;
        }

        /** Streams a segment of any kind (heap, native, mapped) in fixed-size chunks. */
        void segment(MemorySegment data) throws IOException {
            if (chunk == null) {
                chunk = new byte[CHUNK];
            }
            long size = data.byteSize();
            for (long at = 0; at < size; at += CHUNK) {
                int n = (int) Math.min(CHUNK, size - at);
                MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, chunk, 0, n);
                out.write(chunk, 0, n);
            }
            position += size;
        }

        void flush() throws IOException {
            out.flush();
        }
    }
}
