package dev.chorus.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code chorus serve} refuses bad configurations with one clear line and exit status 2. */
class ServeCommandTest {
    @TempDir
    Path dir;

    private String run(int expectedStatus, String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(Main.execute(args)).isEqualTo(expectedStatus);
        } finally {
            System.setErr(oldErr);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void missingConfigFileIsAUserError() {
        String err = run(2, "serve", "--config", dir.resolve("nope.yaml").toString());
        assertThat(err).contains("config file not found").doesNotContain("Exception");
    }

    @Test
    void invalidConfigNamesTheProblem() throws Exception {
        Path yaml = dir.resolve("c.yaml");
        Files.writeString(yaml, "experts:\n  - id: a\n    path: missing.gguf\nlimits:\n  max_qeue: 3\n");
        String err = run(2, "serve", "--config", yaml.toString());
        assertThat(err).contains("unknown key 'max_qeue'").contains("limits");
    }
}
