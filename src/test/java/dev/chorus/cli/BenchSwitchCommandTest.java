package dev.chorus.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class BenchSwitchCommandTest {
    @TempDir
    Path dir;

    @Test
    void jsonHasEveryFieldTheIssueAsksForAndColdWasReallyCold() throws Exception {
        String out = captureStdout(() -> Main.execute("bench", "switch", "--experts", "3", "--reps", "1",
                "--shape", "tiny", "--dir", dir.toString(), "--json"));
        JsonNode json = new ObjectMapper().readTree(out);
        for (String key : new String[] {"expert_bytes", "naive_reload_ms", "warm_to_hot_ms", "cold_to_hot_ms",
                "disk_read_gb_s", "cold_fraction_of_disk_bw", "warm_speedup_vs_naive"}) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("expert_bytes").asLong()).isEqualTo(Files.size(dir.resolve("tiny-q8_0-0.gguf")));
        assertThat(json.get("workload").asText()).contains("Chorus engine");
        assertThat(json.get("cold_resident_fraction_before").asDouble()).isLessThan(0.01);
        assertThat(json.get("disk_read_gb_s").asDouble()).isPositive();
        assertThat(json.get("warm_speedup_vs_naive").asDouble()).isCloseTo(
                json.get("naive_reload_ms").asDouble() / json.get("warm_to_hot_ms").asDouble(),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Files.list(dir)).hasSize(3); // --dir keeps the files
    }

    @Test
    void badOptionsAreUserErrors() {
        assertThat(Main.execute("bench", "switch", "--experts", "2")).isEqualTo(Cli.EXIT_USER_ERROR);
        assertThat(Main.execute("bench", "switch", "--shape", "huge")).isEqualTo(Cli.EXIT_USER_ERROR);
    }

    @Test
    void memoryTierOptionsParseSizesAndDurations() {
        MemoryTierOptions o = new MemoryTierOptions();
        o.hotMemory = "2g";
        o.warmMemory = "512m";
        assertThat(o.hotBytes()).isEqualTo(2L << 30);
        assertThat(o.warmBytes()).isEqualTo(512L << 20);
        assertThat(MemoryTierOptions.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(MemoryTierOptions.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    }

    static String captureStdout(Runnable body) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(saved);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
