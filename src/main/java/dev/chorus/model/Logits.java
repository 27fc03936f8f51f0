package dev.chorus.model;

/**
 * The logits a forward pass produced, one row of {@link #vocabSize()} floats per batch entry that asked for them, in
 * batch order. A view of the engine's buffer: valid until its next forward call.
 */
public final class Logits {
    private final int vocabSize;
    private float[] data = new float[0];
    private int[] entries = new int[0];
    private int rows;

    Logits(int vocabSize) {
        this.vocabSize = vocabSize;
    }

    void reset(int rows) {
        if (data.length < rows * vocabSize) {
            data = new float[rows * vocabSize];
            entries = new int[rows];
        }
        this.rows = rows;
    }

    void setEntry(int row, int entry) {
        entries[row] = entry;
    }

    public int rows() {
        return rows;
    }

    public int vocabSize() {
        return vocabSize;
    }

    /** The backing array; row i starts at {@link #offset(int)}. */
    public float[] array() {
        return data;
    }

    public int offset(int row) {
        return row * vocabSize;
    }

    /** The batch entry index of logits row {@code row}. */
    public int entry(int row) {
        return entries[row];
    }

    public float get(int row, int token) {
        return data[row * vocabSize + token];
    }

    /** A copy of one row. */
    public float[] row(int row) {
        return java.util.Arrays.copyOfRange(data, row * vocabSize, (row + 1) * vocabSize);
    }
}
