package dev.chorus.serve.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StopStringsTest {
    @Test
    void withoutStopsEverythingPassesAtOnce() {
        StopStrings s = new StopStrings(List.of());
        assertThat(s.accept("abc")).isEqualTo("abc");
        assertThat(s.flush()).isEmpty();
    }

    @Test
    void holdsBackAPossibleStopAndCutsBeforeIt() {
        StopStrings s = new StopStrings(List.of("END"));
        assertThat(s.accept("hello E")).isEqualTo("hello ");
        assertThat(s.accept("N")).isEmpty();
        assertThat(s.accept("D and more")).isEmpty();
        assertThat(s.stopped()).isTrue();
        assertThat(s.accept("x")).isEmpty();
    }

    @Test
    void releasesHeldTextWhenItTurnsOutNotToBeAStop() {
        StopStrings s = new StopStrings(List.of("END"));
        assertThat(s.accept("E")).isEmpty();
        assertThat(s.accept("x")).isEqualTo("Ex");
        assertThat(s.accept("EN")).isEmpty();
        assertThat(s.flush()).isEqualTo("EN");
        assertThat(s.stopped()).isFalse();
    }

    @Test
    void earliestOfSeveralStopsWins() {
        StopStrings s = new StopStrings(List.of("zz", "\n\n"));
        assertThat(s.accept("a\n\nb zz")).isEqualTo("a");
        assertThat(s.stopped()).isTrue();
    }
}
