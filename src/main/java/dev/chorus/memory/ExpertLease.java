package dev.chorus.memory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps one expert hot while a request uses it: the store never demotes an expert with an open lease. Close it
 * (try-with-resources) when the request ends; closing twice is harmless.
 */
public final class ExpertLease<R extends ExpertRuntime> implements AutoCloseable {
    private final ExpertStore<R> store;
    private final ExpertEntry<R> entry;
    private final R runtime;
    private final AtomicBoolean closed = new AtomicBoolean();

    ExpertLease(ExpertStore<R> store, ExpertEntry<R> entry) {
        this.store = store;
        this.entry = entry;
        this.runtime = entry.runtime;
    }

    public String expertId() {
        return entry.id;
    }

    /** The hot expert's runtime; valid until this lease is closed. */
    public R runtime() {
        if (closed.get()) {
            throw new IllegalStateException("lease on expert " + entry.id + " is closed");
        }
        return runtime;
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            store.release(entry);
        }
    }
}
