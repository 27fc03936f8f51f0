package dev.chorus.router;

import dev.chorus.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped router: rebuilt from its resources, cached, and routing unseen prompts sensibly. */
class DefaultRouterTest {
    static OnnxSentenceEncoder encoder;
    static RouterModel built;

    @BeforeAll
    static void build() {
        encoder = OnnxSentenceEncoder.miniLm();
        built = DefaultRouter.build(encoder);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void coversTheNineCategoriesWithDescriptionsAndDozensOfExamples() {
        List<CategorySpec> specs = DefaultRouter.categories();
        assertThat(specs).extracting(CategorySpec::name).containsExactly("coding", "math", "reasoning", "writing",
                "roleplay", "extraction", "stem", "humanities", "general");
        for (CategorySpec s : specs) {
            assertThat(s.description()).as(s.name()).isNotBlank();
            assertThat(s.examples()).as(s.name()).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
        }
    }

    @Test
    void cachedRouterIsTheOneRebuiltFromTheResources(@TempDir Path cache) throws Exception {
        String old = System.getProperty("chorus.cache");
        System.setProperty("chorus.cache", cache.toString());
        try {
            RouterModel first = DefaultRouter.load(encoder);
            Path file = DefaultRouter.cacheFile(encoder);
            assertThat(file).exists().hasParent(cache);
            assertThat(Files.readAllBytes(file)).isEqualTo(RouterFile.toBytes(built));
            assertThat(RouterFile.toBytes(first)).isEqualTo(RouterFile.toBytes(built));
            // A damaged cache is rebuilt, not trusted.
            Files.write(file, new byte[]{1, 2, 3});
            assertThat(RouterFile.toBytes(DefaultRouter.load(encoder))).isEqualTo(RouterFile.toBytes(built));
        } finally {
            if (old == null) {
                System.clearProperty("chorus.cache");
            } else {
                System.setProperty("chorus.cache", old);
            }
        }
    }

    @Test
    void routesUnseenEverydayPromptsToTheExpectedCategory() {
        Router router = new Router(encoder, built, RoutingPolicy.identity(built.labels()));
        Map<String, String> prompts = Map.of(
                "there's an off-by-one bug in my for loop in C, it reads past the end of the array", "coding",
                "what is 15 percent of 68 dollars, for a tip?", "math",
                "write a haiku about autumn leaves falling on a quiet street", "writing",
                "pretend you are a pirate captain and greet me, stay in character", "roleplay",
                "why did the Berlin Wall fall in 1989?", "humanities",
                "how do bees make honey from nectar?", "stem",
                "hey there, how's your day going?", "general",
                "Extract all person names from this text: Maria met Tom and Dr. Okafor at the station.", "extraction",
                "If Anna is older than Ben and Ben is older than Cleo, who is the youngest? Explain your reasoning.",
                "reasoning");
        prompts.forEach((prompt, expected) ->
                assertThat(router.route(prompt).category()).as(prompt).isEqualTo(expected));
    }

    @Test
    void sharedDevAccuracyOfTheShippedRouter() throws Exception {
        Path dev = SharedData.require("data/router/dev.jsonl");
        List<LabeledPrompt> rows = PromptDataset.readLabeled(dev);
        Router router = new Router(encoder, built, RoutingPolicy.identity(built.labels()));
        List<Classification> predicted = router.classifyAll(rows.stream().map(LabeledPrompt::prompt).toList());
        Evaluation e = Evaluation.of(built.labels(), rows.stream().map(LabeledPrompt::category).toList(), predicted,
                built.threshold());
        System.out.printf("shipped router on shared dev: accuracy %.4f macro-F1 %.4f%n", e.accuracy(), e.macroF1());
        // Measured 0.59 / 0.57 (docs/ROUTER.md); nine balanced-ish classes give 0.15 by chance.
        assertThat(e.accuracy()).isGreaterThan(0.5);
        assertThat(e.macroF1()).isGreaterThan(0.5);
    }
}
