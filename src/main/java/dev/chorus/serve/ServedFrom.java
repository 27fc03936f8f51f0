package dev.chorus.serve;

import java.util.List;

/**
 * How an expert was made ready for a request: the tier its weights were in when the request started (hot, warm,
 * cold, remote) and how long switching to it took (0 when it was already hot). {@code failover} is set when the
 * routed expert failed and another one answered.
 */
public record ServedFrom(String tier, double switchMillis, Failover failover) {
    public static final ServedFrom HOT = new ServedFrom("hot", 0);
    public static final ServedFrom REMOTE = new ServedFrom("remote", 0);

    /** The expert that answered instead, and the experts that failed before it (the routed one first). */
    public record Failover(String expert, List<String> failed) {
        public Failover {
            failed = List.copyOf(failed);
        }
    }

    public ServedFrom(String tier, double switchMillis) {
        this(tier, switchMillis, null);
    }

    public ServedFrom withFailover(Failover f) {
        return new ServedFrom(tier, switchMillis, f);
    }

    public boolean switched() {
        return switchMillis > 0 || !"hot".equals(tier) && !"remote".equals(tier);
    }
}
