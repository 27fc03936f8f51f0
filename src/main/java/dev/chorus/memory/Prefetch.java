package dev.chorus.memory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An asynchronous promotion of one expert to a target tier. Completes with the tier reached; {@link #cancel} stops a
 * load in progress at its next chunk (unless a request is already waiting on that same load, which then continues
 * for the request) and returns the expert to cold.
 */
public final class Prefetch implements Future<Tier> {
    private final String expertId;
    private final Tier target;
    private final CompletableFuture<Tier> result = new CompletableFuture<>();
    private volatile boolean cancelRequested;
    private volatile Runnable onCancel = () -> { };

    Prefetch(String expertId, Tier target) {
        this.expertId = expertId;
        this.target = target;
    }

    public String expertId() {
        return expertId;
    }

    public Tier target() {
        return target;
    }

    /** The same result as a CompletableFuture, for composition. Cancelling it does not stop the load. */
    public CompletableFuture<Tier> toCompletableFuture() {
        return result.copy();
    }

    boolean cancelRequested() {
        return cancelRequested;
    }

    void onCancel(Runnable hook) {
        this.onCancel = hook;
    }

    boolean complete(Tier reached) {
        return result.complete(reached);
    }

    boolean fail(Throwable failure) {
        return result.completeExceptionally(failure);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (result.isDone()) {
            return false;
        }
        cancelRequested = true;
        onCancel.run();
        return result.cancel(false);
    }

    @Override
    public boolean isCancelled() {
        return result.isCancelled();
    }

    @Override
    public boolean isDone() {
        return result.isDone();
    }

    @Override
    public Tier get() throws InterruptedException, ExecutionException {
        return result.get();
    }

    @Override
    public Tier get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        return result.get(timeout, unit);
    }
}
