package dev.chorus.router;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wraps an encoder with a bounded LRU cache keyed by the exact text: repeated prompts (retries, the shared context of a
 * conversation) skip the model. Misses of one call are embedded as one batch. Thread-safe.
 */
public final class CachingEncoder implements Encoder {
    private final Encoder inner;
    private final Map<String, float[]> cache;

    public CachingEncoder(Encoder inner, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("embedding cache capacity must be >= 1, got " + capacity);
        }
        this.inner = inner;
        this.cache = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > capacity;
            }
        };
    }

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public int dimension() {
        return inner.dimension();
    }

    @Override
    public int maxTokens() {
        return inner.maxTokens();
    }

    public int cachedCount() {
        synchronized (cache) {
            return cache.size();
        }
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        float[][] out = new float[texts.size()][];
        List<String> missing = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        synchronized (cache) {
            for (int i = 0; i < texts.size(); i++) {
                float[] hit = cache.get(texts.get(i));
                if (hit != null) {
                    out[i] = hit;
                } else {
                    missing.add(texts.get(i));
                    missingAt.add(i);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<float[]> fresh = inner.embed(missing); // outside the lock: other threads keep hitting the cache
            synchronized (cache) {
                for (int j = 0; j < fresh.size(); j++) {
                    out[missingAt.get(j)] = fresh.get(j);
                    cache.put(missing.get(j), fresh.get(j));
                }
            }
        }
        return List.of(out);
    }

    @Override
    public void close() {
        inner.close();
    }
}
