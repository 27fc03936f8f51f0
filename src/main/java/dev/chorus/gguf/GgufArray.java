package dev.chorus.gguf;

import java.util.Arrays;
import java.util.Objects;

/**
 * A GGUF metadata array. {@code values} is a Java array matching {@code elementType}: byte[] (UINT8/INT8),
 * short[] (UINT16/INT16), int[] (UINT32/INT32), long[] (UINT64/INT64), float[], double[], boolean[], String[], or
 * GgufArray[] for nested arrays. Unsigned values keep their bits; the typed getters of {@link GgufMetadata} widen them.
 */
public record GgufArray(GgufValueType elementType, Object values) {
    public GgufArray {
        Objects.requireNonNull(elementType);
        Objects.requireNonNull(values);
    }

    public int length() {
        return java.lang.reflect.Array.getLength(values);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufArray(GgufValueType t, Object v) && t == elementType
                && Arrays.deepEquals(new Object[] {values}, new Object[] {v});
    }

    @Override
    public int hashCode() {
        return 31 * elementType.hashCode() + Arrays.deepHashCode(new Object[] {values});
    }

    @Override
    public String toString() {
        return "GgufArray[" + elementType + " x " + length() + "]";
    }
}
