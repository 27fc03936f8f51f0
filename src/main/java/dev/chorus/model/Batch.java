package dev.chorus.model;

/**
 * The input of one forward pass: entries of (sequence, position, token, wants logits). One sequence's prompt
 * (consecutive positions) and single decode steps of several sequences can share a batch, so the weights are read once
 * for all of them. Reusable: {@link #clear()} and refill; it never allocates after construction.
 */
public final class Batch {
    private final Sequence[] sequences;
    private final int[] positions;
    private final int[] tokens;
    private final boolean[] wantsLogits;
    private int size;

    public Batch(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("batch capacity must be at least 1");
        }
        sequences = new Sequence[capacity];
        positions = new int[capacity];
        tokens = new int[capacity];
        wantsLogits = new boolean[capacity];
    }

    public Batch add(Sequence sequence, int position, int token, boolean logits) {
        if (size == sequences.length) {
            throw new IllegalStateException("batch is full (" + size + " entries)");
        }
        sequences[size] = sequence;
        positions[size] = position;
        tokens[size] = token;
        wantsLogits[size] = logits;
        size++;
        return this;
    }

    /** Adds tokens at the sequence's next positions, asking logits for the last one only when {@code lastLogits}. */
    public Batch addAll(Sequence sequence, int[] ids, int from, int to, boolean lastLogits) {
        int pos = sequence.length();
        for (int i = from; i < to; i++) {
            add(sequence, pos + (i - from), ids[i], lastLogits && i == to - 1);
        }
        return this;
    }

    public void clear() {
        java.util.Arrays.fill(sequences, 0, size, null);
        size = 0;
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return sequences.length;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public Sequence sequence(int i) {
        return sequences[i];
    }

    public int position(int i) {
        return positions[i];
    }

    public int token(int i) {
        return tokens[i];
    }

    public boolean wantsLogits(int i) {
        return wantsLogits[i];
    }
}
