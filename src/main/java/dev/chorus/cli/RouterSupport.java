package dev.chorus.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chorus.router.DefaultRouter;
import dev.chorus.router.Encoder;
import dev.chorus.router.Router;
import dev.chorus.router.RouterFile;
import dev.chorus.router.RouterModel;
import dev.chorus.router.RoutingPolicy;

import java.io.IOException;
import java.nio.file.Path;

/** Shared helpers of the router commands. */
final class RouterSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private RouterSupport() {
    }

    /** The router file, or the shipped default router when {@code file} is null. */
    static RouterModel model(Path file, Encoder encoder) throws IOException {
        return file == null ? DefaultRouter.load(encoder) : RouterFile.read(file);
    }

    /** A router whose experts are named after the categories, with "general" as the fallback. */
    static Router open(Path file, Encoder encoder) throws IOException {
        if (file != null) {
            RouterModel model = RouterFile.read(file);
            return Router.load(file, encoder, RoutingPolicy.identity(model.labels()));
        }
        RouterModel model = DefaultRouter.load(encoder);
        return new Router(encoder, model, RoutingPolicy.identity(model.labels()));
    }
}
