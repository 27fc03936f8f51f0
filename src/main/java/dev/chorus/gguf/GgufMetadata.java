package dev.chorus.gguf;

import dev.chorus.ChorusException;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The key/value metadata of a GGUF file, in file order. Values are boxed Java values (Byte, Short, Integer, Long,
 * Float, Double, Boolean, String) or {@link GgufArray}; {@link #type(String)} gives the GGUF type of each.
 * Typed getters widen unsigned integers and fail with a message naming the key when a value has the wrong type.
 */
public final class GgufMetadata {
    /** One metadata entry. */
    public record Entry(String key, GgufValueType type, Object value) {
    }

    private final Map<String, Entry> entries;
    /** Exact bytes of top-level string arrays holding malformed UTF-8 (rare); other strings re-encode exactly. */
    private final Map<String, byte[][]> rawStringArrays;

    public GgufMetadata(Map<String, Entry> entries) {
        this(entries, Map.of());
    }

    GgufMetadata(Map<String, Entry> entries, Map<String, byte[][]> rawStringArrays) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.rawStringArrays = Map.copyOf(rawStringArrays);
    }

    public static GgufMetadata of(Iterable<Entry> entries) {
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            map.put(e.key(), e);
        }
        return new GgufMetadata(map);
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    public Object get(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.value();
    }

    public GgufValueType type(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.type();
    }

    public String getString(String key) {
        return as(key, String.class);
    }

    public String getString(String key, String defaultValue) {
        return contains(key) ? getString(key) : defaultValue;
    }

    /** An integer value of any integer type, widened (unsigned types as unsigned). */
    public long getLong(String key) {
        Entry e = require(key);
        return switch (e.type()) {
            case UINT8 -> Byte.toUnsignedLong((Byte) e.value());
            case INT8 -> (Byte) e.value();
            case UINT16 -> Short.toUnsignedLong((Short) e.value());
            case INT16 -> (Short) e.value();
            case UINT32 -> Integer.toUnsignedLong((Integer) e.value());
            case INT32 -> (Integer) e.value();
            case UINT64, INT64 -> (Long) e.value();
            default -> throw wrongType(key, e, "an integer");
        };
    }

    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    /** An integer value that must fit in an int. */
    public int getInt(String key) {
        long v = getLong(key);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ChorusException("metadata key '" + key + "' has value " + v + ", too large");
        }
        return (int) v;
    }

    public int getInt(String key, int defaultValue) {
        return contains(key) ? getInt(key) : defaultValue;
    }

    /** A floating-point value (FLOAT32 or FLOAT64), or an integer value converted. */
    public double getDouble(String key) {
        Entry e = require(key);
        return switch (e.type()) {
            case FLOAT32 -> (Float) e.value();
            case FLOAT64 -> (Double) e.value();
            case BOOL, STRING, ARRAY -> throw wrongType(key, e, "a number");
            default -> getLong(key);
        };
    }

    public double getDouble(String key, double defaultValue) {
        return contains(key) ? getDouble(key) : defaultValue;
    }

    public float getFloat(String key, float defaultValue) {
        return contains(key) ? (float) getDouble(key) : defaultValue;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return contains(key) ? as(key, Boolean.class) : defaultValue;
    }

    public GgufArray getArray(String key) {
        return as(key, GgufArray.class);
    }

    public String[] getStringArray(String key) {
        GgufArray a = getArray(key);
        if (a.elementType() != GgufValueType.STRING) {
            throw new ChorusException("metadata key '" + key + "' is an array of " + a.elementType() + ", expected STRING");
        }
        return (String[]) a.values();
    }

    /**
     * The exact bytes of each element of a string array, as stored in the file. GGUF strings are meant to be UTF-8,
     * but a vocabulary may hold byte sequences that are not; their Java strings then contain U+FFFD, while these bytes
     * are exact. Returns a fresh array.
     */
    public byte[][] getStringArrayBytes(String key) {
        String[] strings = getStringArray(key);
        byte[][] raw = rawStringArrays.get(key);
        byte[][] result = new byte[strings.length][];
        for (int i = 0; i < strings.length; i++) {
            result[i] = raw != null ? raw[i].clone() : strings[i].getBytes(StandardCharsets.UTF_8);
        }
        return result;
    }

    /** The exact element bytes of a top-level string array when some are not valid UTF-8, else null. */
    byte[][] rawStringArray(String key) {
        return rawStringArrays.get(key);
    }

    public float[] getFloatArray(String key) {
        GgufArray a = getArray(key);
        return switch (a.values()) {
            case float[] f -> f;
            case double[] d -> {
                float[] f = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    f[i] = (float) d[i];
                }
                yield f;
            }
            default -> throw new ChorusException(
                    "metadata key '" + key + "' is an array of " + a.elementType() + ", expected floats");
        };
    }

    /** An array of any integer element type, widened to int (unsigned types as unsigned). */
    public int[] getIntArray(String key) {
        GgufArray a = getArray(key);
        boolean unsigned = switch (a.elementType()) {
            case UINT8, UINT16, UINT32, UINT64 -> true;
            default -> false;
        };
        return switch (a.values()) {
            case int[] i -> i.clone();
            case byte[] b -> {
                int[] r = new int[b.length];
                for (int i = 0; i < b.length; i++) {
                    r[i] = unsigned ? Byte.toUnsignedInt(b[i]) : b[i];
                }
                yield r;
            }
            case short[] s -> {
                int[] r = new int[s.length];
                for (int i = 0; i < s.length; i++) {
                    r[i] = unsigned ? Short.toUnsignedInt(s[i]) : s[i];
                }
                yield r;
            }
            case long[] l -> {
                int[] r = new int[l.length];
                for (int i = 0; i < l.length; i++) {
                    r[i] = Math.toIntExact(l[i]);
                }
                yield r;
            }
            default -> throw new ChorusException(
                    "metadata key '" + key + "' is an array of " + a.elementType() + ", expected integers");
        };
    }

    private Entry require(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new ChorusException("metadata key '" + key + "' is missing");
        }
        return e;
    }

    private <T> T as(String key, Class<T> type) {
        Entry e = require(key);
        if (!type.isInstance(e.value())) {
            throw wrongType(key, e, type.getSimpleName());
        }
        return type.cast(e.value());
    }

    private static ChorusException wrongType(String key, Entry e, String expected) {
        return new ChorusException("metadata key '" + key + "' has type " + e.type() + ", expected " + expected);
    }
}
