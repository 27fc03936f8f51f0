package dev.chorus.serve;

/**
 * How an expert was made ready for a request: the tier its weights were in when the request started (hot, warm,
 * cold, remote) and how long switching to it took (0 when it was already hot).
 */
public record ServedFrom(String tier, double switchMillis) {
    public static final ServedFrom HOT = new ServedFrom("hot", 0);
    public static final ServedFrom REMOTE = new ServedFrom("remote", 0);

    public boolean switched() {
        return switchMillis > 0 || !"hot".equals(tier) && !"remote".equals(tier);
    }
}
