package dev.chorus.serve.schedule.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ServeBenchmarkTest {
    @Test
    void batchedSpeedIsInterpolatedBetweenMeasuredCounts() {
        Map<String, Double> batched = new LinkedHashMap<>();
        batched.put("1", 100.0);
        batched.put("2", 150.0);
        batched.put("4", 250.0);
        batched.put("8", 330.0);
        assertThat(ServeBenchmark.speedAt(batched, 1)).isEqualTo(100.0);
        assertThat(ServeBenchmark.speedAt(batched, 1.5)).isCloseTo(125.0, within(1e-9));
        assertThat(ServeBenchmark.speedAt(batched, 3)).isCloseTo(200.0, within(1e-9));
        assertThat(ServeBenchmark.speedAt(batched, 8)).isEqualTo(330.0);
        assertThat(ServeBenchmark.speedAt(batched, 12)).as("beyond the largest: its speed").isEqualTo(330.0);
        assertThat(ServeBenchmark.speedAt(batched, 0.5)).as("below one sequence: one's speed").isEqualTo(100.0);
    }
}
