package dev.chorus.serve.schedule;

import dev.chorus.serve.config.SchedulerSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerSettingsTest {
    @Test
    void defaultsAreSwitchAwareAndValid() {
        SchedulerSettings d = SchedulerSettings.defaults();
        assertThat(d.policyOrDefault()).isEqualTo("switch-aware");
        assertThat(d.problems()).isEmpty();
        assertThat(Schedulers.sequencesPerExpert(d, 2)).isEqualTo(2);   // max_batch defaults to server.parallel
        assertThat(Schedulers.sequencesPerExpert(new SchedulerSettings(null, null, 8, null), 2)).isEqualTo(8);
        assertThat(Schedulers.sequencesPerExpert(new SchedulerSettings("fifo", null, null, null), 2)).isEqualTo(2);
    }

    @Test
    void badValuesAreNamed() {
        assertThat(new SchedulerSettings("round-robin", -1, 0, 11).problems()).containsExactly(
                "scheduler.policy: unknown policy 'round-robin' (known: switch-aware, fcfs-lru, fifo)",
                "scheduler.fairness_ms must not be negative",
                "scheduler.max_batch must be between 1 and 64",
                "scheduler.remote_retries must be between 0 and 10");
        assertThatThrownBy(() -> SchedulingPolicy.byName("lifo", 0)).hasMessageContaining("unknown scheduler policy 'lifo'");
    }
}
