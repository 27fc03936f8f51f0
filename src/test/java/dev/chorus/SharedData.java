package dev.chorus;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the read-only reference data in {@code ../shared} (models, vocabularies, llama.cpp outputs). Tests that need
 * it call {@link #require(String)}, which skips the test with a clear message when the data is absent, as in a
 * user's fresh clone. CI always has it.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The shared folder, or null when absent. Override with -Dchorus.shared=DIR. */
    public static Path root() {
        String configured = System.getProperty("chorus.shared");
        Path p = configured != null ? Path.of(configured) : Path.of("..", "shared");
        try {
            // Real path: CI may lay ../shared as a link, and Files.walk does not follow a link at its root.
            return Files.isDirectory(p) ? p.toRealPath() : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Resolves a path inside ../shared, skipping the calling test when it is missing. */
    public static Path require(String relative) {
        Path root = root();
        Assumptions.assumeTrue(root != null,
                "skipped: ../shared (reference data) is absent; CI provides it beside the checkout");
        Path p = root.resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: " + p + " is absent from ../shared");
        return p;
    }
}
