package dev.chorus.model;

import dev.chorus.ChorusException;

/**
 * One token sequence's inference state: its KV cache and how many positions it holds. Several sequences of the same
 * model can be decoded together in one {@link Batch}. Not thread-safe; close it to free its cache.
 */
public final class Sequence implements AutoCloseable {
    private final Model model;
    final KvCache cache;
    private int length;
    private boolean closed;

    Sequence(Model model, KvCache cache) {
        this.model = model;
        this.cache = cache;
    }

    public Model model() {
        return model;
    }

    /** Number of positions whose keys and values are cached (the next position to feed). */
    public int length() {
        return length;
    }

    /** The most positions this sequence can hold (the context size). */
    public int maxLength() {
        return cache.maxPositions;
    }

    /** Forgets positions from {@code newLength} on, e.g. to reuse a shared prefix. */
    public void truncate(int newLength) {
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate a sequence of length " + length + " to " + newLength);
        }
        length = newLength;
    }

    /** Bytes currently held by the KV cache. */
    public long stateBytes() {
        return cache.bytes();
    }

    public boolean isClosed() {
        return closed;
    }

    void checkOpen() {
        if (closed) {
            throw new ChorusException("the sequence is closed");
        }
    }

    void advanceTo(int newLength) {
        length = newLength;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            cache.release();
            model.forget(this);
        }
    }
}
