package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;

/** A {@link WeightMatrix} over a (usually mapped) segment, computing through its type's {@link TypeKernel}. */
final class QuantizedMatrix implements WeightMatrix {
    private static final ThreadLocal<Activations> SCRATCH = ThreadLocal.withInitial(Activations::new);
    /**
     * Activation floats per chunk of a batched product: 512 KiB, inside the per-core L2 of current x86 server cores
     * (1-2 MiB) with room for the decoded rows; each chunk decodes every row again, so chunks should not be smaller.
     */
    private static final int ACTIVATION_CHUNK_FLOATS = Integer.getInteger("chorus.matMulChunkFloats", 1 << 17);

    private final TypeKernel kernel;
    private final MemorySegment data;
    private final int rows;
    private final int cols;
    private final long rowBytes;

    QuantizedMatrix(TypeKernel kernel, MemorySegment data, int rows, int cols) {
        this.kernel = kernel;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.rowBytes = kernel.type().bytesFor(cols);
    }

    TypeKernel kernel() {
        return kernel;
    }

    long rowBytes() {
        return rowBytes;
    }

    @Override
    public GgmlType type() {
        return kernel.type();
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public MemorySegment data() {
        return data;
    }

    @Override
    public ActivationFormat activationFormat() {
        return kernel.activationFormat();
    }

    @Override
    public void matVec(float[] x, float[] out, int rowFrom, int rowTo) {
        matMul(x, 1, out, rowFrom, rowTo);
    }

    @Override
    public void matMul(float[] x, int n, float[] out, int rowFrom, int rowTo) {
        matMul(prepare(x, n, SCRATCH.get()), out, rowFrom, rowTo);
    }

    @Override
    public void matMul(Activations a, float[] out, int rowFrom, int rowTo) {
        checkPrepared(a);
        checkRange(rowFrom, rowTo);
        if (a.count() == 1) {
            for (int r = rowFrom; r < rowTo; r++) {
                out[r] = kernel.dot(data, r * rowBytes, a, 0, cols);
            }
        } else {
            // vectors in chunks whose activations stay in the L2 cache while every row of the range passes over them
            int n = a.count();
            int chunk = Math.max(4, (ACTIVATION_CHUNK_FLOATS / cols) & ~3);
            for (int first = 0; first < n; first += chunk) {
                multiplyChunk(a, first, Math.min(n, first + chunk), out, rowFrom, rowTo);
            }
        }
    }

    /**
     * Vectors a product needs before decoding its rows into floats pays off: below it the per-type tiles are faster
     * (KernelThroughput 1536x576, one thread, G multiply-adds/s: the earlier one-row 4-vector tiles 24-31 at 4, 8 and
     * 16 vectors; decoded tiles 9 / 16 / 22 / 30 / 36-39 at 4 / 8 / 16 / 32 / 64). Several sequences decoding together
     * stay below it, a prefill chunk goes above. (The two-row Q8_0 tiles give 33 / 38 / 41 / 36 at 4 / 8 / 16 / 31.)
     */
    static final int DECODED_MIN_VECTORS = 32;

    /** Rows [rowFrom, rowTo) times vectors [first, end); below the decoded tiles in pairs of rows. */
    private void multiplyChunk(Activations a, int first, int end, float[] out, int rowFrom, int rowTo) {
        if (kernel.decodesRows() && a.count() >= DECODED_MIN_VECTORS) {
            multiplyDecoded(a, first, end, out, rowFrom, rowTo);
            return;
        }
        for (int r = rowFrom; r < rowTo; r += 2) {
            int r1 = Math.min(r + 1, rowTo - 1);
            kernel.dotBatch(data, r * rowBytes, r1 * rowBytes, a, first, end, out, r, r1, rows);
        }
    }

    /**
     * Tiles of 4 decoded rows x 4 vectors ({@link DecodedTile}). Every (row, vector) goes through the same arithmetic
     * whatever the batch: a last partial group of rows repeats the range's last row and a last partial group of
     * vectors overlaps the one before (recomputing identical values), so a vector's result does not depend on which
     * others share its batch.
     */
    private void multiplyDecoded(Activations a, int first, int end, float[] out, int rowFrom, int rowTo) {
        DecodedRows decoded = DecodedRows.forThread(cols);
        int last = a.count() - DecodedTile.VECTORS;
        for (int r = rowFrom; r < rowTo; r += DecodedRows.ROWS) {
            decoded.decode(kernel, data, r, rowTo, (int) rowBytes, cols);
            for (int b = first; b < end; b += DecodedTile.VECTORS) {
                int b0 = Math.min(b, last);
                DecodedTile.dot4x4(decoded, a, b0, out, b0 * rows, rows);
            }
        }
    }

    /** The scalar reference path, for tests: out[b*rows + r] for every vector of a. */
    void matMulReference(Activations a, float[] out, int rowFrom, int rowTo) {
        checkPrepared(a);
        for (int r = rowFrom; r < rowTo; r++) {
            for (int b = 0; b < a.count(); b++) {
                out[b * rows + r] = kernel.dotReference(data, r * rowBytes, a, b, cols);
            }
        }
    }

    @Override
    public void dequantizeRow(int row, float[] dst, int dstOffset) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        kernel.dequantizeRow(data, row * rowBytes, cols, dst, dstOffset);
    }

    private void checkPrepared(Activations a) {
        if (a.format() != kernel.activationFormat() || a.cols() != cols) {
            throw new IllegalArgumentException("activations prepared as " + a.format() + " x " + a.cols()
                    + ", this " + type() + " matrix needs " + kernel.activationFormat() + " x " + cols);
        }
    }

    private void checkRange(int rowFrom, int rowTo) {
        if (rowFrom < 0 || rowTo > rows || rowFrom > rowTo) {
            throw new IndexOutOfBoundsException("rows [" + rowFrom + ", " + rowTo + ") of " + rows);
        }
    }

    @Override
    public String toString() {
        return type() + " matrix " + rows + "x" + cols;
    }
}
