package dev.chorus.serve.app;

import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.ChorusConfig;
import dev.chorus.serve.http.ChorusServer;

import java.io.IOException;
import java.io.PrintStream;

/**
 * A running Chorus: the HTTP server is listening first (answering 503 while starting), then the router, the expert
 * store and the experts are opened, then the server is marked ready.
 */
public final class ChorusApp implements AutoCloseable {
    private final ChorusServer server;

    private ChorusApp(ChorusServer server) {
        this.server = server;
    }

    /** Starts and returns once ready; {@code log} receives one line per step. */
    public static ChorusApp start(ChorusConfig config, PrintStream log) throws IOException {
        ServerMetrics metrics = new ServerMetrics();
        ChorusServer server = new ChorusServer(config.serverOrDefault(), config.limitsOrDefault(), metrics).start();
        log.println("chorus: listening on " + server.baseUrl() + " (starting: /ready answers 503 until loaded)");
        try {
            ChorusServices services = ServicesFactory.build(config, metrics);
            server.ready(services);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new ChorusApp(server);
    }

    public ChorusServer server() {
        return server;
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    @Override
    public void close() {
        server.close();
    }
}
