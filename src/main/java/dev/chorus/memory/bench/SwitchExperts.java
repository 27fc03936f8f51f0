package dev.chorus.memory.bench;

import dev.chorus.gguf.GgmlType;
import dev.chorus.model.Architecture;
import dev.chorus.model.synth.SynthModel;
import dev.chorus.model.synth.SynthShape;

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

    /**
     * Writes {@code n} seeded random-weight llama models of the named shape in Q8_0 ({@code chorus synth}) into
     * {@code dir} (a temporary folder when null); existing files are reused.
     */
    public static SwitchExperts synthesize(Path dir, int n, String shapeName, PrintStream log) throws IOException {
        SynthShape shape = SynthShape.byName(shapeName);
        Path target = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("chorus-bench-switch");
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path f = target.resolve(shape.name() + "-q8_0-" + i + ".gguf");
            if (!Files.exists(f)) {
                log.println("chorus synth --arch llama --shape " + shape.name() + " --type Q8_0 --seed " + i + " -o " + f);
                new SynthModel(Architecture.fromGguf("llama"), shape, GgmlType.Q8_0, i)
                        .write(new SynthModel.Bytes(), f);
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
