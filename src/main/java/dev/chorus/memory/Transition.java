package dev.chorus.memory;

import java.util.concurrent.CompletableFuture;

/**
 * One expert's move between tiers while it is in flight. Others who need the expert wait on {@link #done} instead of
 * starting a second load (coalescing). A prefetch may cancel it only while nobody else waits on it.
 */
final class Transition {
    final Tier target;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Acquirers waiting on this transition; guarded by the store lock. */
    int waiters;
    private volatile boolean cancelled;

    Transition(Tier target) {
        this.target = target;
    }

    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /** Checked by the mover between chunks of work. */
    void throwIfCancelled() {
        if (cancelled) {
            throw new java.util.concurrent.CancellationException("prefetch cancelled");
        }
    }
}
