package dev.chorus.tensor;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix of {@code rows} x {@code cols} kept in its ggml type, usually a zero-copy slice of a mapped GGUF
 * file (a 2-D tensor with dims {cols, rows}; row r is the bytes of elements [r*cols, (r+1)*cols)).
 * Activations are F32; they are rounded or quantized internally the way ggml's vec_dot does
 * ({@link #activationFormat()}), so results match llama.cpp's CPU backend.
 * Range methods are single-threaded so that callers can split rows across threads; {@link Kernels} does that on a
 * {@link ComputePool}.
 */
public interface WeightMatrix {
    /**
     * Wraps {@code rows} x {@code cols} elements of {@code type} held in {@code data} (not copied).
     *
     * @throws ChorusException naming the type when Chorus has no kernels for it
     * @throws IllegalArgumentException when the shape does not fit the type or the data
     */
    static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        TypeKernel kernel = KernelTable.forType(type);
        if (kernel == null) {
            throw new ChorusException("unsupported weight type " + type + " (supported: F32, F16, BF16, Q8_0, Q4_0, "
                    + "Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K)");
        }
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException("bad matrix shape " + rows + "x" + cols);
        }
        long need = type.bytesFor((long) rows * cols);
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException(
                    type + " rows of " + cols + " are not a whole number of blocks of " + type.blockSize());
        }
        if (data.byteSize() < need) {
            throw new IllegalArgumentException(type + " " + rows + "x" + cols + " needs " + need + " bytes, got "
                    + data.byteSize());
        }
        return new QuantizedMatrix(kernel, data, rows, cols);
    }

    /** True when {@link #of} accepts this type. */
    static boolean supports(GgmlType type) {
        return KernelTable.supports(type);
    }

    GgmlType type();

    int rows();

    int cols();

    /** The raw bytes of the whole matrix. */
    MemorySegment data();

    /** How activations are rounded/quantized before the dot products (ggml's vec_dot type for this weight type). */
    ActivationFormat activationFormat();

    /**
     * Prepares n activation vectors x[b*cols + c] for this matrix into {@code scratch} (reused, grows as needed), so
     * that several threads can share one quantization of x through {@link #matMul(Activations, float[], int, int)}.
     * Matrices with the same {@link #activationFormat()} and cols can share the prepared activations.
     */
    default Activations prepare(float[] x, int n, Activations scratch) {
        return scratch.prepare(activationFormat(), x, n, cols());
    }

    /** out[r] = row(r) . x for r in [rowFrom, rowTo); x holds cols floats. */
    void matVec(float[] x, float[] out, int rowFrom, int rowTo);

    /**
     * Batched product for n activation vectors: x[b*cols + c], out[b*rows + r], for r in [rowFrom, rowTo) and b in
     * [0, n). Each weight row is read once for the whole batch.
     */
    void matMul(float[] x, int n, float[] out, int rowFrom, int rowTo);

    /** As {@link #matMul(float[], int, float[], int, int)} for activations already prepared for this matrix. */
    void matMul(Activations prepared, float[] out, int rowFrom, int rowTo);

    /** Writes row r, dequantized to F32, to dst[dstOffset .. dstOffset + cols). */
    void dequantizeRow(int row, float[] dst, int dstOffset);
}
