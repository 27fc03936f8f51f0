package dev.chorus.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chorus.ChorusException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The router Chorus ships: trained at first use from the category descriptions and example prompts in
 * {@code default-categories.yaml} (written for Chorus, no dataset rows), then cached as a router file under
 * {@code -Dchorus.cache} or {@code $CHORUS_CACHE} (default {@code ~/.cache/chorus}). The cache file name carries a hash of the resource, the
 * encoder id and the file format version, so editing the examples or upgrading rebuilds it.
 */
public final class DefaultRouter {
    public static final String RESOURCE = "/dev/chorus/router/default-categories.yaml";
    /** Threshold of the shipped router; see docs/ROUTER.md for how it was chosen. */
    public static final double DEFAULT_THRESHOLD = 0.35;

    private DefaultRouter() {
    }

    public static List<CategorySpec> categories() {
        return parseCategories(resourceBytes(), RESOURCE);
    }

    /** Parses a YAML/JSON document of the form {@code categories: [{name, description, examples: [..]}]}. */
    public static List<CategorySpec> parseCategories(byte[] yaml, String name) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
            JsonNode list = root == null ? null : root.get("categories");
            if (list == null || !list.isArray()) {
                throw new ChorusException(name + ": expected a top-level \"categories\" list");
            }
            List<CategorySpec> specs = new ArrayList<>();
            for (JsonNode c : list) {
                List<String> examples = new ArrayList<>();
                c.path("examples").forEach(e -> examples.add(e.asText()));
                specs.add(new CategorySpec(c.path("name").asText(null), c.path("description").asText(null), examples));
            }
            return specs;
        } catch (IOException e) {
            throw new ChorusException(name + ": invalid category file: " + e.getMessage(), e);
        }
    }

    /** Trains the default router from the resource (no cache). Deterministic for a given encoder. */
    public static RouterModel build(Encoder encoder) {
        return new RouterTrainer(encoder).train(List.of(), categories(), ClassifierTrainer.DEFAULT_KIND,
                DEFAULT_THRESHOLD);
    }

    /** The cached default router for {@code encoder}, building and caching it on first use. */
    public static RouterModel load(Encoder encoder) throws IOException {
        Path file = cacheFile(encoder);
        if (Files.isRegularFile(file)) {
            try {
                RouterModel cached = RouterFile.read(file);
                if (cached.encoderId().equals(encoder.id())) {
                    return cached;
                }
            } catch (ChorusException corrupt) {
                // A damaged cache is rebuilt rather than reported: it is ours, not the user's.
            }
        }
        RouterModel model = build(encoder);
        try {
            RouterFile.write(model, file);
        } catch (IOException notWritable) {
            // A read-only home still routes; it just rebuilds next start.
        }
        return model;
    }

    public static Path cacheFile(Encoder encoder) {
        String dir = System.getProperty("chorus.cache", System.getenv("CHORUS_CACHE"));
        Path base = dir != null && !dir.isBlank() ? Path.of(dir)
                : Path.of(System.getProperty("user.home"), ".cache", "chorus");
        return base.resolve("router-default-" + fingerprint(encoder.id()) + ".bin");
    }

    static String fingerprint(String encoderId) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(resourceBytes());
            md.update(encoderId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) RouterFile.FORMAT_VERSION);
            md.update(DefaultRouter.class.getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resourceBytes() {
        try (InputStream in = DefaultRouter.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ChorusException("default router resource " + RESOURCE + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ChorusException("cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }
}
