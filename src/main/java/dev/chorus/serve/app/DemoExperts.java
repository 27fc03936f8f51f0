package dev.chorus.serve.app;

import dev.chorus.gguf.GgmlType;
import dev.chorus.gguf.GgufFile;
import dev.chorus.model.Architecture;
import dev.chorus.model.synth.SynthModel;
import dev.chorus.model.synth.SynthShape;
import dev.chorus.serve.config.ByteSize;
import dev.chorus.serve.config.CategoryConfig;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ExpertConfig;
import dev.chorus.serve.config.SchedulerSettings;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.MemorySettings;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.local.ModelRuntime;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo Composition of Experts {@code chorus serve} runs without a config: four tiny random-weight experts
 * (the engine's synth, "tiny" llama shape, Q8_0, byte vocabulary) made once into a cache folder, mapped to the
 * shipped router's categories, with a hot budget that holds two of them so that tier moves are visible. Their
 * text is noise; routing, tiers, streaming and metrics are real.
 */
public final class DemoExperts {
    private record Demo(String id, String area, List<String> categories, long seed) {
    }

    private static final List<Demo> DEMOS = List.of(
            new Demo("demo-code", "programming", List.of("coding"), 101),
            new Demo("demo-math", "math and reasoning", List.of("math", "reasoning"), 102),
            new Demo("demo-writer", "writing and role-play", List.of("writing", "roleplay"), 103),
            new Demo("demo-general", "knowledge and everything else",
                    List.of("extraction", "stem", "humanities", "general"), 104));
    private static final String FALLBACK = "demo-general";
    /** Version of the demo recipe; bump it to make existing caches rebuild. */
    private static final String RECIPE = "v1";

    private DemoExperts() {
    }

    /** {@code $CHORUS_CACHE/demo}, else {@code ~/.cache/chorus/demo}. */
    public static Path defaultDirectory() {
        String cache = System.getenv("CHORUS_CACHE");
        Path base = cache != null && !cache.isBlank() ? Path.of(cache)
                : Path.of(System.getProperty("user.home"), ".cache", "chorus");
        return base.resolve("demo");
    }

    /**
     * Makes the demo experts in {@code dir} when missing and returns the demo configuration, its hot budget sized
     * for {@code parallel} sequences per expert (the server setting of the same name).
     */
    public static ChorusConfig config(Path dir, int parallel, PrintStream log) throws IOException {
        Files.createDirectories(dir);
        List<ExpertConfig> experts = new ArrayList<>();
        List<CategoryConfig> categories = new ArrayList<>();
        long largestHot = 0;
        long largestFile = 0;
        ModelRuntime.Factory sizing = new ModelRuntime.Factory(1,
                dev.chorus.serve.schedule.Schedulers.sequencesPerExpert(SchedulerSettings.defaults(), parallel),
                ServerSettings.DEFAULT_CONTEXT_LENGTH, dev.chorus.model.KvType.F32);
        for (Demo d : DEMOS) {
            Path file = dir.resolve(d.id() + "-" + RECIPE + ".Q8_0.gguf");
            if (!Files.isRegularFile(file)) {
                log.println("chorus: making demo expert " + d.id() + " (once) in " + dir);
                Path tmp = Files.createTempFile(dir, d.id(), ".part");
                try {
                    new SynthModel(Architecture.LLAMA, SynthShape.TINY, GgmlType.Q8_0, d.seed())
                            .write(new SynthModel.Bytes(), tmp);
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            try (GgufFile f = GgufFile.open(file)) {
                largestHot = Math.max(largestHot, f.fileSize() + sizing.stateBytes(f));
                largestFile = Math.max(largestFile, f.fileSize());
            }
            experts.add(new ExpertConfig(d.id(), file.toString(), null, null, null,
                    "DEMO expert for " + d.area() + ": random weights, its text is noise", false, null, null));
            for (String c : d.categories()) {
                categories.add(new CategoryConfig(c, null, d.id()));
            }
        }
        // Room for two hot experts and all four warm: a request for a third expert shows a switch.
        MemorySettings memory = new MemorySettings(new ByteSize(2 * largestHot + (1 << 20)),
                new ByteSize(4 * largestFile + (1 << 20)));
        return new ChorusConfig(new ServerSettings(null, null, null, parallel, List.of()), experts, categories,
                FALLBACK, null, memory,
                new Limits(null, null, 256, null));
    }
}
