package dev.chorus.serve;

/**
 * Which expert answers a request and why. {@code category} and {@code confidence} are null for requests pinned to an
 * expert by name; {@code fallbackTaken} is true when the router was unsure and used the fallback expert.
 */
public record RoutingDecision(String category, Double confidence, String expertId, boolean fallbackTaken,
                              boolean pinned, double routerMillis) {
    public static RoutingDecision pinned(String expertId) {
        return new RoutingDecision(null, null, expertId, false, true, 0);
    }
}
