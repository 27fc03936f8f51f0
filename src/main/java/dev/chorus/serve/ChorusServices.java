package dev.chorus.serve;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the HTTP layer needs once the server is ready: the experts by id, the router, the optional embedder,
 * the tier view and the scheduler. Closing it closes the scheduler, the experts and anything else registered.
 */
public record ChorusServices(Map<String, ExpertBackend> experts, RequestRouter router, TextEmbedder embedder,
                             ExpertTiers tiers, RequestScheduler scheduler, int maxPromptTokens,
                             List<AutoCloseable> resources) implements AutoCloseable {
    public ChorusServices {
        experts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(experts));
        resources = new ArrayList<>(resources);
    }

    @Override
    public void close() {
        scheduler.close();
        for (ExpertBackend e : experts.values()) {
            closeQuietly(e);
        }
        for (AutoCloseable r : resources.reversed()) {
            closeQuietly(r);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("chorus: closing " + c + " failed: " + e.getMessage());
        }
    }
}
