package dev.chorus.router;

import java.util.Map;

/**
 * How categories become experts. {@code categoryToExpert} maps each category to an expert id; a category without an
 * entry, or a classification whose confidence is below the threshold, goes to {@code fallbackExpert}.
 * {@code thresholdOverride} (NaN = use the router file's threshold). A running conversation changes expert only when
 * the new category's confidence is at least {@code switchConfidence}. Earlier user turns enter the routing
 * embedding with weights {@code contextDecay}, {@code contextDecay^2}, ... for up to {@code contextTurns} turns.
 */
public record RoutingPolicy(Map<String, String> categoryToExpert, String fallbackExpert, double thresholdOverride,
                            double switchConfidence, int contextTurns, double contextDecay) {
    public static final double DEFAULT_SWITCH_CONFIDENCE = 0.8;
    public static final int DEFAULT_CONTEXT_TURNS = 2;
    public static final double DEFAULT_CONTEXT_DECAY = 0.5;

    public RoutingPolicy {
        categoryToExpert = Map.copyOf(categoryToExpert);
        if (fallbackExpert == null || fallbackExpert.isBlank()) {
            throw new IllegalArgumentException("a fallback expert is required");
        }
        if (contextTurns < 0 || contextDecay < 0 || contextDecay > 1) {
            throw new IllegalArgumentException("contextTurns must be >= 0 and contextDecay in [0, 1]");
        }
    }

    /** Category names are the expert ids (what {@code chorus route} shows without a config); "general" is fallback. */
    public static RoutingPolicy identity(Iterable<String> categories) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        categories.forEach(c -> m.put(c, c));
        return of(m, "general");
    }

    public static RoutingPolicy of(Map<String, String> categoryToExpert, String fallbackExpert) {
        return new RoutingPolicy(categoryToExpert, fallbackExpert, Double.NaN, DEFAULT_SWITCH_CONFIDENCE,
                DEFAULT_CONTEXT_TURNS, DEFAULT_CONTEXT_DECAY);
    }

    public RoutingPolicy withThreshold(double threshold) {
        return new RoutingPolicy(categoryToExpert, fallbackExpert, threshold, switchConfidence, contextTurns,
                contextDecay);
    }
}
