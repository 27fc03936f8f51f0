package dev.chorus.chat;

import java.time.Clock;

/**
 * Per-render state that Jinjava's static template functions need: the clock for {@code strftime_now} and the
 * first {@code raise_exception} message (Jinjava records exceptions as errors and keeps rendering, so the renderer
 * reads it back here and throws).
 */
final class RenderScope {
    private static final ThreadLocal<RenderScope> CURRENT = new ThreadLocal<>();

    private final Clock clock;
    private String raised;

    private RenderScope(Clock clock) {
        this.clock = clock;
    }

    static RenderScope open(Clock clock) {
        RenderScope scope = new RenderScope(clock);
        CURRENT.set(scope);
        return scope;
    }

    static void close() {
        CURRENT.remove();
    }

    static RenderScope current() {
        RenderScope scope = CURRENT.get();
        if (scope == null) {
            throw new IllegalStateException("template function called outside ChatTemplate.render");
        }
        return scope;
    }

    Clock clock() {
        return clock;
    }

    void raise(String message) {
        if (raised == null) {
            raised = message;
        }
    }

    String raised() {
        return raised;
    }
}
