package dev.chorus.serve.http;

import dev.chorus.serve.ChatMessage;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.ExpertState;
import dev.chorus.serve.ExpertTiers;
import dev.chorus.serve.FifoScheduler;
import dev.chorus.serve.RequestRouter;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.TextEmbedder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Test-only services around {@link FakeExpert}s: a keyword router, an in-memory tier table, a tiny embedder. */
final class FakeServices {
    /** The conversation id the fake router saw last. */
    static volatile String lastConversation;

    private FakeServices() {
    }

    static ChorusServices of(int threads, int maxQueue, int maxPromptTokens, FakeExpert... experts) {
        Map<String, ExpertBackend> map = new LinkedHashMap<>();
        for (FakeExpert e : experts) {
            map.put(e.id(), e);
        }
        RequestRouter router = (List<ChatMessage> messages, String conversation) -> {
            lastConversation = conversation;
            String last = messages.getLast().content();
            for (FakeExpert e : experts) {
                if (last.contains(e.id())) {
                    return new RoutingDecision(e.id() + "-category", 0.9, e.id(), false, false, 0);
                }
            }
            return new RoutingDecision("other", 0.2, experts[0].id(), true, false, 0);
        };
        return new ChorusServices(map, router, new Embedder(), new Tiers(map.keySet()),
                new FifoScheduler(threads, maxQueue), maxPromptTokens, List.of());
    }

    static final class Tiers implements ExpertTiers {
        final Map<String, String> tier = new ConcurrentHashMap<>();
        final Map<String, Boolean> pinned = new ConcurrentHashMap<>();

        Tiers(Iterable<String> ids) {
            ids.forEach(id -> tier.put(id, "cold"));
        }

        @Override
        public List<ExpertState> states() {
            List<ExpertState> out = new ArrayList<>();
            tier.forEach((id, t) -> out.add(new ExpertState(id, "local", t, 1000, pinned.getOrDefault(id, false),
                    Map.of("loads", 0))));
            out.sort(java.util.Comparator.comparing(ExpertState::id));
            return out;
        }

        @Override
        public Map<String, Long> bytesByTier() {
            return Map.of("hot", tier.values().stream().filter("hot"::equals).count() * 1000);
        }

        @Override
        public void load(String expertId) {
            tier.put(expertId, "hot");
        }

        @Override
        public void unload(String expertId) {
            tier.put(expertId, "warm");
        }

        @Override
        public void pin(String expertId, boolean pin) {
            pinned.put(expertId, pin);
        }
    }

    static final class Embedder implements TextEmbedder {
        @Override
        public String modelName() {
            return "fake-encoder";
        }

        @Override
        public float[] embed(String text) {
            return new float[] {text.length(), 1f, -1f};
        }

        @Override
        public int countTokens(String text) {
            return text.split("\\s+").length;
        }
    }
}
