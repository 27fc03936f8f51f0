package dev.chorus.sampling;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class StopStringsTest {
    @Test
    void holdsBackAPossibleStartAndReleasesItWhenItIsNot() {
        StopStrings s = new StopStrings(List.of("</end>"));
        assertThat(s.feed("Hello </")).isEqualTo("Hello ");
        assertThat(s.feed("en")).isEmpty();
        assertThat(s.feed("x")).isEqualTo("</enx");
        assertThat(s.stopped()).isFalse();
        assertThat(s.feed(" done <")).isEqualTo(" done ");
        assertThat(s.flush()).isEqualTo("<");
    }

    @Test
    void stopsAtTheEarliestStopStringAndDropsIt() {
        StopStrings s = new StopStrings(List.of("\n\n", "User:"));
        assertThat(s.feed("answer.")).isEqualTo("answer.");
        assertThat(s.feed("\nUs")).isEqualTo("\n");
        assertThat(s.feed("er: more")).isEmpty();
        assertThat(s.stopped()).isTrue();
        assertThat(s.matched()).isEqualTo("User:");
        assertThat(s.feed("anything")).isEmpty();
        assertThat(s.flush()).isEmpty();
    }
}
