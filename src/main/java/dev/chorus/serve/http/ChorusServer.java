package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.Limits;
import dev.chorus.serve.config.ServerSettings;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;

/**
 * Chorus's OpenAI-compatible HTTP server (Javalin). It listens at once and answers 503 on the API until
 * {@link #ready(ChorusServices)} hands it the loaded experts, router and scheduler.
 */
public final class ChorusServer implements AutoCloseable {
    static {
        // Jetty and Javalin log every start and stop at INFO; Chorus prints its own one-line status instead.
        for (String logger : new String[] {"org.eclipse.jetty", "io.javalin"}) {
            System.setProperty("org.slf4j.simpleLogger.log." + logger,
                    System.getProperty("org.slf4j.simpleLogger.log." + logger, "warn"));
        }
    }

    /**
     * How long an idle keep-alive connection stays open. Longer than the clients' own pool timeouts (the JDK
     * HttpClient drops pooled connections after 30 s, Jetty's default is also 30 s): with equal timeouts a client
     * can send a POST on a connection the server is closing at that moment, and POSTs are not retried.
     */
    static final Duration KEEP_ALIVE_IDLE = Duration.ofSeconds(75);

    private final ServerSettings settings;
    private final Limits limits;
    private final ServerMetrics metrics;
    private final List<byte[]> apiKeys;
    private final CompletionParser parser;
    private final CompletionPipeline pipeline;
    private final CompletionResponder responder;
    private final AdminEndpoints admin;
    private volatile ChorusServices services;
    private Javalin app;

    public ChorusServer(ServerSettings settings, Limits limits, ServerMetrics metrics) {
        this.settings = settings;
        this.limits = limits;
        this.metrics = metrics;
        this.apiKeys = settings.apiKeysOrEmpty().stream().map(k -> k.getBytes(StandardCharsets.UTF_8)).toList();
        this.parser = new CompletionParser(limits.maxOutputTokensOrDefault());
        this.pipeline = new CompletionPipeline(metrics);
        this.responder = new CompletionResponder(metrics);
        this.admin = new AdminEndpoints(this::services, metrics);
    }

    /** Binds the port and starts answering (503 on the API until ready). */
    public ChorusServer start() {
        app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.http.maxRequestSize = limits.maxRequestBytesOrDefault();
            config.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost(settings.hostOrDefault());
                connector.setPort(settings.portOrDefault());
                connector.setIdleTimeout(KEEP_ALIVE_IDLE.toMillis());
                return connector;
            });
        });
        app.exception(ApiException.class, this::answerError);
        app.exception(HttpResponseException.class, (e, ctx) -> answerError(e.getStatus() == 404
                ? ApiException.notFound("unknown_url", "no such endpoint: " + ctx.method() + " " + ctx.path())
                : ApiException.of(e.getStatus(), e.getMessage()), ctx));
        app.exception(ClientGoneException.class, (e, ctx) -> metrics.aborted(endpoint(ctx)));
        app.exception(Exception.class, (e, ctx) -> {
            System.err.println("chorus: request " + ctx.path() + " failed: " + e);
            answerError(ApiException.internal("internal error: " + e.getMessage()), ctx);
        });
        app.before("/v1/*", this::authorize);
        app.get("/health", ctx -> ctx.json(ResponseJson.MAPPER.createObjectNode().put("status", "ok")));
        app.get("/ready", ctx -> {
            services();
            ctx.json(ResponseJson.MAPPER.createObjectNode().put("status", "ready"));
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                .result(metrics.scrape()));
        app.post("/v1/chat/completions", ctx -> complete(ctx, true));
        app.post("/v1/completions", ctx -> complete(ctx, false));
        app.get("/v1/models", ctx -> ctx.json(admin.models()));
        app.get("/v1/models/{id}", ctx -> ctx.json(admin.model(ctx.pathParam("id"))));
        app.post("/v1/embeddings", ctx -> ctx.json(admin.embeddings(RequestBodies.json(ctx, maxBody()))));
        app.get("/v1/experts", ctx -> ctx.json(admin.experts()));
        app.post("/v1/experts/{id}/{action}", ctx -> ctx.json(admin.act(ctx.pathParam("id"),
                ctx.pathParam("action"), ctx.queryParam("pinned"))));
        app.start();
        return this;
    }

    /** Marks the server ready to serve with these components. */
    public void ready(ChorusServices ready) {
        metrics.bind(ready);
        this.services = ready;
    }

    public boolean isReady() {
        return services != null;
    }

    /** The services it serves with, or null while starting (benchmarks reach the experts directly through it). */
    public ChorusServices currentServices() {
        return services;
    }

    public int port() {
        return app.port();
    }

    /** The idle timeout of kept-alive connections, as the listening connector has it. */
    Duration keepAliveIdle() {
        return Duration.ofMillis(((ServerConnector) app.jettyServer().server().getConnectors()[0]).getIdleTimeout());
    }

    public String baseUrl() {
        return "http://" + settings.hostOrDefault() + ":" + port();
    }

    private ChorusServices services() {
        ChorusServices s = services;
        if (s == null) {
            throw ApiException.starting();
        }
        return s;
    }

    private long maxBody() {
        return limits.maxRequestBytesOrDefault();
    }

    private void complete(Context ctx, boolean chat) throws Exception {
        long arrival = System.nanoTime();
        ChorusServices s = services();
        JsonNode body = RequestBodies.json(ctx, maxBody());
        CompletionCall call = chat ? parser.parseChat(body) : parser.parseText(body);
        // A conversation id keeps a conversation on one expert: the header, else OpenAI's 'user' field.
        String conversation = ctx.header("X-Chorus-Conversation");
        Execution x = pipeline.start(call, conversation != null ? conversation : call.user(), s, arrival);
        responder.respond(ctx, x);
    }

    private void authorize(Context ctx) {
        if (apiKeys.isEmpty()) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiException.unauthorized("missing API key: send 'Authorization: Bearer <key>'");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        for (byte[] key : apiKeys) {
            if (MessageDigest.isEqual(key, given)) {
                return;
            }
        }
        throw ApiException.unauthorized("invalid API key");
    }

    private static String endpoint(Context ctx) {
        return ctx.path().startsWith("/v1/chat") ? "chat" : ctx.path().startsWith("/v1/completions")
                ? "completions" : "other";
    }

    private void answerError(ApiException e, Context ctx) {
        metrics.error(endpoint(ctx), e.status());
        if (e.retryAfterSeconds() != null) {
            ctx.header("Retry-After", Integer.toString(e.retryAfterSeconds()));
        }
        ctx.status(e.status()).json(ResponseJson.error(e));
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        ChorusServices s = services;
        services = null;
        if (s != null) {
            s.close();
        }
    }

    static ArrayNode array() {
        return ResponseJson.MAPPER.createArrayNode();
    }

    static ObjectNode object() {
        return ResponseJson.MAPPER.createObjectNode();
    }
}
