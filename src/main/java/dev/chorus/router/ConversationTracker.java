package dev.chorus.router;

import java.util.LinkedHashMap;
import java.util.Map;

/** Remembers the expert each recent conversation was sent to (bounded LRU, thread-safe). */
final class ConversationTracker {
    record Assignment(String category, String expert) {
    }

    private final Map<String, Assignment> byConversation;

    ConversationTracker(int capacity) {
        byConversation = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Assignment> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Assignment get(String key) {
        return byConversation.get(key);
    }

    synchronized void put(String key, Assignment assignment) {
        byConversation.put(key, assignment);
    }
}
