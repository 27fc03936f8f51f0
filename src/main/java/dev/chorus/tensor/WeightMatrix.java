package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/**
 * A weight matrix of {@code rows} x {@code cols} kept in its ggml type, usually a zero-copy slice of a mapped GGUF
 * file (a 2-D tensor with dims {cols, rows}; row r is the bytes of elements [r*cols, (r+1)*cols)).
 * Activations are F32; an implementation may round or quantize them internally the way ggml's vec_dot does.
 * Range methods are single-threaded so that callers can split rows across threads.
 */
public interface WeightMatrix {
    GgmlType type();

    int rows();

    int cols();

    /** The raw bytes of the whole matrix. */
    MemorySegment data();

    /** out[r] = row(r) . x for r in [rowFrom, rowTo); x holds cols floats. */
    void matVec(float[] x, float[] out, int rowFrom, int rowTo);

    /**
     * Batched product for n activation vectors: x[b*cols + c], out[b*rows + r], for r in [rowFrom, rowTo) and b in
     * [0, n). Each weight row is read once for the whole batch.
     */
    void matMul(float[] x, int n, float[] out, int rowFrom, int rowTo);

    /** Writes row r, dequantized to F32, to dst[dstOffset .. dstOffset + cols). */
    void dequantizeRow(int row, float[] dst, int dstOffset);
}
