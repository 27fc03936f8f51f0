package dev.chorus.memory;

import dev.chorus.gguf.GgufFile;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The store's mutable record of one expert. Fields are guarded by the store lock, except that the thread running the
 * expert's {@link #transition} owns {@link #weights}, {@link #runtime} and {@link #locked} until it finishes.
 */
final class ExpertEntry<R extends ExpertRuntime> {
    final String id;
    final Path path;
    final long fileBytes;
    final long stateBytes;
    final RequestRate rate;

    Tier tier = Tier.COLD;
    Transition transition;
    int leases;
    boolean pinned;
    Duration keepAlive;

    GgufFile weights;
    ExpertRuntimeFactory.PreparedExpert<R> prepared;
    R runtime;
    /** Set by the background lock task; read by snapshots. */
    volatile boolean locked;
    /** The background mlock of a hot expert's weights; demotion waits for it before unlocking. */
    java.util.concurrent.CompletableFuture<Void> locking;

    long lastUseNanos;
    long loads;
    long loadNanosTotal;
    long lastColdToWarmNanos;
    long lastWarmToHotNanos;

    ExpertEntry(String id, Path path, long fileBytes, long stateBytes, long rateWindowNanos) {
        this.id = id;
        this.path = path;
        this.fileBytes = fileBytes;
        this.stateBytes = stateBytes;
        this.rate = new RequestRate(rateWindowNanos);
    }

    /** Bytes counted against the hot budget: the mapped weights plus the runtime state. */
    long hotBytes() {
        return fileBytes + stateBytes;
    }

    boolean idle() {
        return transition == null && leases == 0;
    }

    /** Bytes this expert holds in the given tier's budget (0 when it is elsewhere). */
    long bytesIn(Tier t) {
        return t == Tier.HOT ? hotBytes() : t == Tier.WARM ? fileBytes : 0;
    }
}
