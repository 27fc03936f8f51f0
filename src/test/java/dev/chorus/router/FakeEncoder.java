package dev.chorus.router;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Test encoder: a deterministic bag-of-characters embedding; counts how many texts it embedded. */
final class FakeEncoder implements Encoder {
    final AtomicInteger embedded = new AtomicInteger();
    private final String id;
    private final int dim;

    FakeEncoder(String id, int dim) {
        this.id = id;
        this.dim = dim;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dim;
    }

    @Override
    public int maxTokens() {
        return 512;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>();
        for (String t : texts) {
            embedded.incrementAndGet();
            float[] v = new float[dim];
            for (char c : t.toCharArray()) {
                v[c % dim] += 1;
            }
            out.add(Vectors.normalized(v));
        }
        return out;
    }
}
