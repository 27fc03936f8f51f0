package dev.chorus.serve.app;

import dev.chorus.ChorusException;
import dev.chorus.router.CachingEncoder;
import dev.chorus.router.DefaultRouter;
import dev.chorus.router.Encoder;
import dev.chorus.router.OnnxSentenceEncoder;
import dev.chorus.router.Router;
import dev.chorus.router.RouterFile;
import dev.chorus.router.RouterModel;
import dev.chorus.router.RoutingPolicy;
import dev.chorus.serve.config.CategoryConfig;
import dev.chorus.serve.config.ChorusConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds the runtime router from the config: its router file (or the shipped one) and category -> expert map. */
final class RouterSetup {
    private static final int ENCODER_CACHE_ENTRIES = 4096;

    private RouterSetup() {
    }

    static Encoder openEncoder() {
        return new CachingEncoder(OnnxSentenceEncoder.miniLm(), ENCODER_CACHE_ENTRIES);
    }

    static Router open(ChorusConfig config, Encoder encoder) throws IOException {
        RouterModel model = config.router() == null ? DefaultRouter.load(encoder)
                : RouterFile.read(Path.of(config.router()));
        List<String> labels = model.labels();
        Map<String, String> mapping = new LinkedHashMap<>();
        for (CategoryConfig c : config.categoriesOrEmpty()) {
            if (!labels.contains(c.name())) {
                throw new ChorusException("category '" + c.name() + "' is not one of the router's categories "
                        + labels + (config.router() == null ? " (the shipped router)" : " (" + config.router() + ")"));
            }
            mapping.put(c.name(), c.expert());
        }
        return new Router(encoder, model, RoutingPolicy.of(mapping, config.fallback()));
    }
}
