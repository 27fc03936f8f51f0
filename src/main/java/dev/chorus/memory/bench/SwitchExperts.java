package dev.chorus.memory.bench;

import dev.chorus.memory.ByteSize;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The expert files a switch benchmark runs on; synthesized ones in a temporary folder are deleted on close. */
public final class SwitchExperts implements AutoCloseable {
    private final List<Path> files;
    private final Path temporaryDir;

    private SwitchExperts(List<Path> files, Path temporaryDir) {
        this.files = files;
        this.temporaryDir = temporaryDir;
    }

    public static SwitchExperts existing(List<Path> files) throws IOException {
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new java.nio.file.NoSuchFileException(f.toString());
            }
        }
        return new SwitchExperts(List.copyOf(files), null);
    }

    /** Writes {@code n} expert files into {@code dir} (a temporary folder when null); size -1 = SmolLM2-135M Q8_0. */
    public static SwitchExperts synthesize(Path dir, int n, long size, PrintStream log) throws IOException {
        Path target = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("chorus-bench-switch");
        long bytes = size > 0 ? size : SyntheticExpertFiles.SMOLLM2_135M_Q8_0_BYTES;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = target.resolve("expert-" + i + ".gguf");
            if (!Files.exists(f) || Files.size(f) != bytes) {
                log.println("writing " + f + " (" + ByteSize.format(bytes) + ")");
                SyntheticExpertFiles.write(f, bytes, i);
            }
            files.add(f);
        }
        return new SwitchExperts(List.copyOf(files), dir == null ? target : null);
    }

    public List<Path> files() {
        return files;
    }

    @Override
    public void close() throws IOException {
        if (temporaryDir != null) {
            for (Path f : files) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(temporaryDir);
        }
    }
}
