package dev.chorus.serve.app;

import dev.chorus.memory.ExpertStore;
import dev.chorus.router.Encoder;
import dev.chorus.router.Router;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FifoScheduler;
import dev.chorus.serve.RequestScheduler;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.config.ExpertConfig;
import dev.chorus.serve.config.ServerSettings;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import dev.chorus.serve.local.StoreTiers;
import dev.chorus.serve.remote.RemoteExpert;
import dev.chorus.serve.routing.EncoderEmbedder;
import dev.chorus.serve.routing.RouterAdapter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Opens everything a configuration describes: encoder and router, expert store, local and remote experts. */
public final class ServicesFactory {
    private ServicesFactory() {
    }

    public static ChorusServices build(ChorusConfig config, ServerMetrics metrics) throws IOException {
        List<AutoCloseable> opened = new ArrayList<>();
        Map<String, ExpertBackend> experts = new LinkedHashMap<>();
        try {
            ServerSettings server = config.serverOrDefault();
            ExpertStore<ModelRuntime> store = ExpertStore.builder(
                            new ModelRuntime.Factory(server.threadsOrDefault(), server.parallelOrDefault()))
                    .hotMemory(config.memoryOrDefault().hotOrDefault().bytes())
                    .warmMemory(config.memoryOrDefault().warmOrDefault().bytes())
                    .policy(config.memoryOrDefault().policy())
                    .keepAlive(config.memoryOrDefault().keepAliveDuration())
                    .meterRegistry(metrics.registry())
                    .build();
            opened.add(store);
            Set<String> remote = new LinkedHashSet<>();
            for (ExpertConfig e : config.experts()) {
                if (e.isRemote()) {
                    experts.put(e.id(), RemoteExpert.fromConfig(e));
                    remote.add(e.id());
                } else {
                    store.register(e.id(), Path.of(e.path()));
                    experts.put(e.id(), LocalExpert.open(e.id(), e.describe(), Path.of(e.path()), store));
                }
            }
            for (ExpertConfig e : config.experts()) {
                if (e.isPinned() && !e.isRemote()) {
                    store.pin(e.id());
                }
            }
            Encoder encoder = RouterSetup.openEncoder();
            opened.add(encoder);
            Router router = RouterSetup.open(config, encoder);
            RequestScheduler scheduler = new FifoScheduler(server.parallelOrDefault(),
                    config.limitsOrDefault().maxQueueOrDefault());
            return new ChorusServices(experts, new RouterAdapter(router), new EncoderEmbedder(encoder),
                    new StoreTiers(store, remote), scheduler, config.limitsOrDefault().maxPromptTokensOrDefault(),
                    opened);
        } catch (IOException | RuntimeException e) {
            experts.values().forEach(ExpertBackend::close);
            for (AutoCloseable c : opened.reversed()) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }
}
