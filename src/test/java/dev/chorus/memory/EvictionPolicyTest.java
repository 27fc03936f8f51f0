package dev.chorus.memory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvictionPolicyTest {
    static EvictionCandidate candidate(String id, long lastUse, double rate, long reloadMillis) {
        return new EvictionCandidate(id, Tier.HOT, 100, lastUse, rate, reloadMillis * 1_000_000);
    }

    @Test
    void lruEvictsTheLeastRecentlyUsedFirst() {
        List<EvictionCandidate> order = new LruPolicy().evictionOrder(List.of(
                candidate("new", 30, 0, 0), candidate("old", 10, 0, 0), candidate("mid", 20, 0, 0)));
        assertThat(order).extracting(EvictionCandidate::id).containsExactly("old", "mid", "new");
    }

    @Test
    void costAwareEvictsTheLowestRateTimesReloadTime() {
        List<EvictionCandidate> order = new CostAwarePolicy().evictionOrder(List.of(
                candidate("popular-fast", 10, 10.0, 5),    // 10/s x 5 ms  = 0.05
                candidate("rare-slow", 20, 0.1, 300),      // 0.1/s x 300 ms = 0.03
                candidate("rare-fast", 30, 0.1, 5),        // 0.0005
                candidate("popular-slow", 5, 10.0, 300))); // 3.0
        assertThat(order).extracting(EvictionCandidate::id)
                .containsExactly("rare-fast", "rare-slow", "popular-fast", "popular-slow");
    }

    @Test
    void costAwareBreaksTiesByRecency() {
        List<EvictionCandidate> order = new CostAwarePolicy().evictionOrder(List.of(
                candidate("b", 20, 0, 0), candidate("a", 10, 0, 0)));
        assertThat(order).extracting(EvictionCandidate::id).containsExactly("a", "b");
    }

    @Test
    void policiesAreChosenByName() {
        assertThat(EvictionPolicy.byName("lru")).isInstanceOf(LruPolicy.class);
        assertThat(EvictionPolicy.byName("cost-aware")).isInstanceOf(CostAwarePolicy.class);
        assertThatThrownBy(() -> EvictionPolicy.byName("random")).hasMessageContaining("unknown eviction policy");
    }

    @Test
    void requestRateDecaysOverItsWindow() {
        RequestRate rate = new RequestRate(1_000_000_000L);
        for (int i = 0; i < 10; i++) {
            rate.record(0);
        }
        assertThat(rate.perSecond(0)).isEqualTo(10.0);
        assertThat(rate.perSecond(1_000_000_000L)).isCloseTo(10 / Math.E, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(rate.perSecond(60_000_000_000L)).isLessThan(1e-6);
    }
}
