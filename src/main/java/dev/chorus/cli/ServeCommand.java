package dev.chorus.cli;

import dev.chorus.serve.app.ChorusApp;
import dev.chorus.serve.app.DemoExperts;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ConfigLoader;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.config.ByteSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code chorus serve}: the OpenAI-compatible Composition-of-Experts server. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve experts behind one OpenAI-compatible endpoint (chat/completions, completions, models,",
                "embeddings, experts, metrics). Without --config: a demo CoE of tiny random-weight experts."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "chorus.yaml", description = "Configuration file (see docs/CONFIG.md).")
    Path config;

    @Option(names = "--host", description = "Listening address (default 127.0.0.1, or the config's server.host).")
    String host;

    @Option(names = "--port", description = "Listening port (default 8080, or the config's server.port).")
    Integer port;

    @Option(names = "--threads", description = "Compute threads per forward pass (default: the number of cores).")
    Integer threads;

    @Option(names = "--parallel", description = "Requests generating at once; others queue (default 2).")
    Integer parallel;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N",
            description = "Tokens per sequence of a local expert at most (default 4096, or the config's "
                    + "server.context_length; 0 = each model's own context).")
    Integer contextLength;

    @Option(names = "--kv-cache", paramLabel = "f32|f16",
            description = "KV cache element type of local experts (default f32, or the config's server.kv_cache).")
    String kvCache;

    @Option(names = "--demo-dir", paramLabel = "DIR",
            description = "Where the demo experts are made once (default $CHORUS_CACHE/demo or ~/.cache/chorus/demo).")
    Path demoDir;

    /** Tier options; each one given on the command line replaces the config's memory block entry. */
    @Mixin
    MemoryTierOptions tiers;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChorusApp app = ChorusApp.start(resolveConfig(), System.out);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "chorus-shutdown"));
        String base = app.baseUrl();
        System.out.println("chorus: ready. Try:");
        System.out.println("  curl " + base + "/v1/chat/completions -H 'Content-Type: application/json' -d '"
                + "{\"model\":\"chorus\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 12*7?\"}],"
                + "\"max_tokens\":32}'");
        System.out.println("  curl " + base + "/v1/experts      curl " + base + "/metrics");
        stopped.await();
        return 0;
    }

    /** The configuration to serve: the file (or the demo), then the command-line options over it. */
    ChorusConfig resolveConfig() throws java.io.IOException {
        ChorusConfig cfg;
        if (config == null) {
            Path dir = demoDir != null ? demoDir : DemoExperts.defaultDirectory();
            System.out.println("chorus: no --config given: starting the DEMO Composition of Experts from " + dir);
            System.out.println("chorus: the demo experts are tiny random-weight models: routing, tiers and streaming"
                    + " are real, their text is noise. Serve real GGUF models with --config (docs/CONFIG.md).");
            cfg = DemoExperts.config(dir, parallel != null ? parallel : ServerSettings.DEFAULT_PARALLEL, System.out);
        } else {
            cfg = ConfigLoader.load(config);
        }
        cfg = cfg.withServer(cfg.serverOrDefault().with(host, port, threads, parallel)
                .withSequences(contextLength, kvCache));
        try {
            cfg.serverOrDefault().kvCacheOrDefault();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--kv-cache: " + e.getMessage(), e);
        }
        if (cfg.serverOrDefault().contextLengthOrDefault() < 0) {
            throw new IllegalArgumentException("--ctx-size must be 0 (each model's own context) or more");
        }
        ParseResult given = spec.commandLine().getParseResult();
        cfg = cfg.withMemory(cfg.memoryOrDefault().overriddenBy(
                given.hasMatchedOption("--hot-memory") ? ByteSize.parse(tiers.hotMemory) : null,
                given.hasMatchedOption("--warm-memory") ? ByteSize.parse(tiers.warmMemory) : null,
                given.hasMatchedOption("--eviction") ? tiers.eviction : null,
                given.hasMatchedOption("--keep-alive") ? tiers.keepAlive : null));
        try {
            cfg.memoryOrDefault().policy();
            cfg.memoryOrDefault().keepAliveDuration();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--eviction/--keep-alive: " + e.getMessage(), e);
        }
        return cfg;
    }
}
