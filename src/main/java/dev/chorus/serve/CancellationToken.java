package dev.chorus.serve;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Set when nobody wants a request's output any more (the client disconnected, or the server is stopping).
 * Generators poll {@link #isCancelled()} between tokens; listeners let a scheduler drop a queued request at once.
 */
public final class CancellationToken {
    private volatile boolean cancelled;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public boolean isCancelled() {
        return cancelled;
    }

    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} when cancelled (at once if already cancelled). */
    public void onCancel(Runnable listener) {
        listeners.add(listener);
        if (cancelled) {
            listener.run();
        }
    }
}
