package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.chat.ThinkingSyntax;
import dev.chorus.chat.ToolCallSyntax;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.ServerMetrics;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a queued {@link Execution}'s events into the HTTP answer: one JSON object, or an SSE stream of OpenAI
 * chunks ending with {@code data: [DONE]}. When writing to a streaming client fails (it disconnected), the request
 * is cancelled so that its expert stops generating at the next token.
 */
final class CompletionResponder {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    /** An SSE comment: clients ignore it; writing it tells whether the client is still there. */
    private static final byte[] WAITING = ": waiting for the expert\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final long POLL_MILLIS = 1000;
    private static final String TOOL_CALLS = "tool_calls";

    private final ServerMetrics metrics;

    CompletionResponder(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    void respond(Context ctx, Execution x) throws Exception {
        try {
            if (x.call().stream()) {
                stream(ctx, x);
            } else {
                whole(ctx, x);
            }
        } catch (InterruptedException e) {
            x.cancel().cancel();
            Thread.currentThread().interrupt();
            throw ApiException.of(503, "the server is stopping");
        } finally {
            // Whatever happened (error, disconnect), the expert must not keep generating for nobody.
            x.cancel().cancel();
        }
    }

    private void whole(Context ctx, Execution x) throws InterruptedException {
        Progress p = new Progress(x);
        EventBuffer.Event e;
        StringBuilder text = new StringBuilder();
        do {
            e = p.next();
            if (e instanceof EventBuffer.Token t) {
                text.append(t.token().text());
            }
        } while (!(e instanceof EventBuffer.Finished));
        FinishReason reason = ((EventBuffer.Finished) e).reason();
        putHeaders(ctx, x.decision(), p.servedFrom);
        ThinkingSyntax.Split split = ThinkingHold.applies(x)
                ? ThinkingSyntax.split(text.toString(), ThinkingHold.startsInside(x))
                : new ThinkingSyntax.Split(null, text.toString());
        ToolCallSyntax.Reply reply = ToolCallHold.applies(x) ? x.expert().toolCallSyntax().parse(split.content())
                : new ToolCallSyntax.Reply(split.content(), List.of());
        ctx.json(ResponseJson.complete(x, split.reasoning(), reply, p.tokens, reply.calls().isEmpty()
                ? reason.openAiName() : TOOL_CALLS, p.servedFrom));
        p.done(reason == FinishReason.CANCELLED ? "cancelled" : "ok");
    }

    private void stream(Context ctx, Execution x) throws InterruptedException {
        Progress p = new Progress(x);
        boolean wantLogprobs = x.call().request().wantsLogprobs();
        int textOffset = 0;
        OutputStream out = null;
        try {
            // Wait for the expert. While the request is queued, SSE comments keep probing the connection, so a
            // client that gives up is noticed and its request never runs.
            EventBuffer.Event e = p.poll(POLL_MILLIS);
            while (!(e instanceof EventBuffer.Started) && !(e instanceof EventBuffer.Finished)) {
                if (e == null) {
                    out = out != null ? out : commit(ctx, x, null);
                    out.write(WAITING);
                    out.flush();
                }
                e = p.poll(POLL_MILLIS);
            }
            out = out != null ? out : commit(ctx, x, p.servedFrom);
            ObjectNode first = ResponseJson.chunk(x, x.call().format() == ApiFormat.CHAT ? "" : null, true,
                    List.of(), 0, null);
            first.set("chorus", ResponseJson.chorus(x.decision(), p.servedFrom));
            send(out, first);
            ToolCallHold hold = ToolCallHold.of(x);
            ThinkingHold thinking = ThinkingHold.of(x);
            while (!(e instanceof EventBuffer.Finished)) {
                e = p.next();
                if (e instanceof EventBuffer.Token t
                        && (!t.token().text().isEmpty() || wantLogprobs && t.token().id() >= 0)) {
                    boolean withLogprobs = wantLogprobs && t.token().id() >= 0;
                    String text = t.token().text();
                    if (thinking != null) {
                        ThinkingHold.Piece piece = thinking.accept(text);
                        sendReasoning(out, x, piece.reasoning());
                        text = piece.content();
                    }
                    textOffset = sendContent(out, x, hold, text, withLogprobs ? t.token() : null, textOffset);
                }
            }
            FinishReason reason = ((EventBuffer.Finished) e).reason();
            String finish = reason.openAiName();
            if (thinking != null) {
                ThinkingHold.Piece piece = thinking.end();
                sendReasoning(out, x, piece.reasoning());
                textOffset = sendContent(out, x, hold, piece.content(), null, textOffset);
            }
            if (hold != null) {
                ToolCallHold.End end = hold.end();
                textOffset = sendRelease(out, x, end.release(), textOffset);
                if (!end.calls().isEmpty()) {
                    send(out, ResponseJson.toolCallChunk(x, end.calls()));
                    finish = TOOL_CALLS;
                }
            }
            send(out, ResponseJson.chunk(x, null, false, List.of(), textOffset, finish));
            if (x.call().includeUsage()) {
                send(out, ResponseJson.usageChunk(x, p.tokens.size()));
            }
            out.write(DONE);
            out.flush();
            p.done(reason == FinishReason.CANCELLED ? "cancelled" : "ok");
        } catch (IOException disconnected) {
            x.cancel().cancel();
            p.done("disconnected");
        } catch (ApiException failed) {
            if (out == null) {
                throw failed;
            }
            // Headers are gone already: report the failure in-band, as OpenAI does, then end the stream.
            try {
                send(out, ResponseJson.error(failed));
                out.write(DONE);
                out.flush();
            } catch (IOException ignored) {
                // The client left as well.
            }
        }
    }

    private static void sendReasoning(OutputStream out, Execution x, String reasoning) throws IOException {
        if (!reasoning.isEmpty()) {
            send(out, ResponseJson.reasoningChunk(x, reasoning));
        }
    }

    /** Sends content (through the tool-call hold when there is one); returns the new text offset. */
    private static int sendContent(OutputStream out, Execution x, ToolCallHold hold, String text, GeneratedToken token,
                                   int textOffset) throws IOException {
        return sendRelease(out, x, hold != null ? hold.accept(text, token)
                : new ToolCallHold.Release(text, token != null ? List.of(token) : List.of()), textOffset);
    }

    /** Sends released content as a chunk unless it is empty; returns the new text offset. */
    private static int sendRelease(OutputStream out, Execution x, ToolCallHold.Release r, int textOffset)
            throws IOException {
        if (r.isEmpty()) {
            return textOffset;
        }
        send(out, ResponseJson.chunk(x, r.text(), false, r.tokens(), textOffset, null));
        return textOffset + r.text().length();
    }

    /**
     * Sends the status and headers of an event stream. {@code served} is null when committing early, while the
     * request still waits for its expert: the tier and switch time then arrive in the first chunk's chorus object.
     */
    private static OutputStream commit(Context ctx, Execution x, ServedFrom served) throws IOException {
        putHeaders(ctx, x.decision(), served);
        ctx.status(200);
        ctx.res().setContentType("text/event-stream; charset=utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        return ctx.res().getOutputStream();
    }

    private static void send(OutputStream out, ObjectNode json) throws IOException {
        byte[] body = ResponseJson.MAPPER.writeValueAsBytes(json);
        out.write("data: ".getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.write('\n');
        out.write('\n');
        out.flush();
    }

    private static void putHeaders(Context ctx, RoutingDecision d, ServedFrom served) {
        ctx.header("X-Chorus-Expert", d.expertId());
        ctx.header("X-Chorus-Pinned", Boolean.toString(d.pinned()));
        if (!d.pinned()) {
            ctx.header("X-Chorus-Category", String.valueOf(d.category()));
            ctx.header("X-Chorus-Confidence", d.confidence() == null ? "" : format(d.confidence()));
            ctx.header("X-Chorus-Fallback", Boolean.toString(d.fallbackTaken()));
            ctx.header("X-Chorus-Router-Ms", format(d.routerMillis()));
        }
        if (served != null) {
            ctx.header("X-Chorus-Tier", served.tier());
            ctx.header("X-Chorus-Switch-Ms", format(served.switchMillis()));
            if (served.failover() != null) {
                ctx.header("X-Chorus-Expert", served.failover().expert());
                ctx.header("X-Chorus-Failed-Over-From", String.join(",", served.failover().failed()));
            }
        }
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }

    /** Collects the events of one execution and records its metrics. */
    private final class Progress {
        final Execution x;
        final List<GeneratedToken> tokens = new ArrayList<>();
        ServedFrom servedFrom;
        long lastTokenNanos;

        Progress(Execution x) {
            this.x = x;
        }

        EventBuffer.Event next() throws InterruptedException {
            EventBuffer.Event e;
            do {
                e = poll(POLL_MILLIS);
            } while (e == null);
            return e;
        }

        /** The next event, or null after {@code millis}; failures are thrown as a 500 ApiException. */
        EventBuffer.Event poll(long millis) throws InterruptedException {
            EventBuffer.Event e = x.events().poll(millis);
            if (e == null) {
                return null;
            }
            switch (e) {
                case EventBuffer.Started s -> {
                    servedFrom = s.servedFrom();
                    metrics.served(x.answeringExpert(), servedFrom);
                }
                case EventBuffer.Token t -> {
                    if (t.token().id() >= 0) {
                        // id -1 carries text released at the end (held back for a possible stop), not a token.
                        if (tokens.isEmpty()) {
                            metrics.timeToFirstToken(x.answeringExpert(), t.nanos() - x.arrivalNanos());
                        } else {
                            metrics.interToken(x.answeringExpert(), t.nanos() - lastTokenNanos);
                        }
                        lastTokenNanos = t.nanos();
                        tokens.add(t.token());
                    }
                }
                case EventBuffer.Failed f -> {
                    done("error");
                    throw ApiException.internal("expert '" + x.answeringExpert() + "' failed: "
                            + f.error().getMessage());
                }
                case EventBuffer.Finished ignored -> {
                }
            }
            return e;
        }

        void done(String outcome) {
            String endpoint = x.call().format() == ApiFormat.CHAT ? "chat" : "completions";
            String expert = x.answeringExpert();
            metrics.request(endpoint, expert, x.categoryTag(), outcome, System.nanoTime() - x.arrivalNanos());
            metrics.tokens(expert, x.prompt().promptTokens(), tokens.size());
        }
    }
}
