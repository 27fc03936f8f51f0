package dev.chorus.router;

import dev.chorus.ChorusException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing policy (fallback, stickiness, conversation identity) over a fake encoder and a hand-made classifier. */
class RouterTest {
    // FakeEncoder puts character c into dimension c % 4: 'a' (97) -> 1, 'b' -> 2, 'c' -> 3, 'd' -> 0.
    static final List<String> LABELS = List.of("dd", "aa", "bb", "cc");

    static Router router() {
        double[][] w = new double[4][4];
        for (int c = 0; c < 4; c++) {
            w[c][c] = 8;
        }
        RouterModel model = new RouterModel("fake", 4, LABELS, new SoftmaxClassifier(w, new double[4]), 0.6);
        return new Router(new CachingEncoder(new FakeEncoder("fake", 4), 16), model,
                RoutingPolicy.of(Map.of("aa", "expert-a", "bb", "expert-b", "cc", "expert-c"), "generalist"));
    }

    static RouteRequest conversation(String id, String... userTurns) {
        List<RouteRequest.Message> messages = new java.util.ArrayList<>();
        for (String t : userTurns) {
            messages.add(new RouteRequest.Message("user", t));
            messages.add(new RouteRequest.Message("assistant", "ok"));
        }
        messages.removeLast();
        return new RouteRequest(messages, id);
    }

    @Test
    void confidentPromptGoesToItsMappedExpert() {
        RouteDecision d = router().route("aaaa");
        assertThat(d.category()).isEqualTo("aa");
        assertThat(d.expert()).isEqualTo("expert-a");
        assertThat(d.fallbackTaken()).isFalse();
        assertThat(d.probabilities()).containsOnlyKeys(LABELS);
    }

    @Test
    void lowConfidenceAndUnmappedCategoriesFallBack() {
        Router r = router();
        RouteDecision unsure = r.route("ab");
        assertThat(unsure.confidence()).isLessThan(0.6);
        assertThat(unsure.expert()).isEqualTo("generalist");
        assertThat(unsure.fallbackTaken()).isTrue();
        RouteDecision unmapped = r.route("dddd");
        assertThat(unmapped.category()).isEqualTo("dd");
        assertThat(unmapped.expert()).isEqualTo("generalist");
        assertThat(unmapped.fallbackTaken()).isTrue();
    }

    @Test
    void conversationStaysOnItsExpertUnlessTheNewCategoryIsConfident() {
        Router r = router();
        assertThat(r.route(conversation("c1", "aaaa")).expert()).isEqualTo("expert-a");
        // Next turn leans to bb but, mixed with the earlier aa turn, not confidently: stay on expert-a.
        RouteDecision second = r.route(conversation("c1", "aaaa", "bbba"));
        assertThat(second.expert()).isEqualTo("expert-a");
        assertThat(second.sticky()).isTrue();
        // A clear switch moves the conversation.
        RouteDecision third = r.route(conversation("c1", "aaaa", "bbba", "bbbbbbbbbbbbbbbbbbbbbbbbbbb"));
        assertThat(third.category()).isEqualTo("bb");
        assertThat(third.confidence()).isGreaterThanOrEqualTo(RoutingPolicy.DEFAULT_SWITCH_CONFIDENCE);
        assertThat(third.expert()).isEqualTo("expert-b");
        assertThat(third.sticky()).isFalse();
        // The same turns in a different conversation are not sticky.
        assertThat(r.route(conversation("c2", "bbba")).sticky()).isFalse();
    }

    @Test
    void withoutAnIdTheConversationIsTheHashOfItsFirstUserTurn() {
        String k1 = Router.conversationKey(conversation(null, "hello there"));
        String k2 = Router.conversationKey(conversation(null, "hello there", "and more"));
        String k3 = Router.conversationKey(conversation(null, "something else", "and more"));
        assertThat(k1).isEqualTo(k2).startsWith("h:");
        assertThat(k3).isNotEqualTo(k1);
        assertThat(Router.conversationKey(conversation("abc", "x"))).isEqualTo("id:abc");
    }

    @Test
    void emptyPromptsAndRequestsWithoutUserTurnsAreRejected() {
        Router r = router();
        assertThatThrownBy(() -> r.route("   ")).isInstanceOf(ChorusException.class).hasMessageContaining("empty prompt");
        assertThatThrownBy(() -> r.route(new RouteRequest(List.of(new RouteRequest.Message("system", "x")), null)))
                .isInstanceOf(ChorusException.class).hasMessageContaining("without a user message");
    }

    @Test
    void concurrentRoutingGivesTheSameAnswersAsSequential() throws Exception {
        Router r = router();
        List<String> prompts = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            prompts.add("a".repeat(1 + i % 7) + "b".repeat(1 + i % 5) + "c".repeat(i % 3) + i);
        }
        List<String> sequential = prompts.stream().map(p -> r.route(p).expert()).toList();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<String>> futures = new java.util.ArrayList<>();
            for (String p : prompts) {
                futures.add(pool.submit(() -> router().route(p).expert()));
                futures.add(pool.submit(() -> r.route(p).expert()));
            }
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(futures.get(2 * i).get()).isEqualTo(sequential.get(i));
                assertThat(futures.get(2 * i + 1).get()).isEqualTo(sequential.get(i));
            }
        }
    }

    @Test
    void cachingEncoderEmbedsEachTextOnce() {
        FakeEncoder inner = new FakeEncoder("fake", 4);
        CachingEncoder cache = new CachingEncoder(inner, 2);
        cache.embed(List.of("x", "y"));
        cache.embed(List.of("x", "y"));
        assertThat(inner.embedded.get()).isEqualTo(2);
        cache.embed(List.of("z")); // evicts the least recently used ("x")
        cache.embed(List.of("x"));
        assertThat(inner.embedded.get()).isEqualTo(4);
        assertThat(cache.cachedCount()).isEqualTo(2);
    }
}
