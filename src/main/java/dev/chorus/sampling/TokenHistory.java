package dev.chorus.sampling;

import java.util.Arrays;

/** The tokens of a sequence so far (prompt and generated), for the repetition penalties. Grows by doubling. */
public final class TokenHistory {
    private int[] ids = new int[256];
    private int size;

    public void add(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
    }

    public void addAll(int[] tokens) {
        for (int t : tokens) {
            add(t);
        }
    }

    public int size() {
        return size;
    }

    public int get(int i) {
        return ids[i];
    }

    public void clear() {
        size = 0;
    }
}
