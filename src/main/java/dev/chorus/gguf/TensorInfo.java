package dev.chorus.gguf;

import java.util.Arrays;

/**
 * One tensor's entry in a GGUF file. {@code dims} are in ggml order: dims[0] is the innermost (contiguous) dimension,
 * so a weight matrix with {@code rows} output rows of {@code cols} inputs has dims {cols, rows}.
 * {@code offset} is relative to the start of the tensor data section.
 */
public record TensorInfo(String name, long[] dims, GgmlType type, long offset) {
    public TensorInfo {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int i) {
        return dims[i];
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && t.name.equals(name) && Arrays.equals(t.dims, dims) && t.type == type
                && t.offset == offset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(dims) + " @" + offset;
    }
}
