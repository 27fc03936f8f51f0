package dev.chorus.serve.schedule;

import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.GenerationJob;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Picks the expert a failed request goes to next: the experts ranked for its category (the mapped expert, then the
 * category's alternates in order), then the global fallback expert. Experts that already failed this request are
 * skipped, and so are remote experts whose health says they are down, unless nothing else is left.
 */
public final class NextBestExpert implements Function<GenerationJob, ExpertBackend> {
    private final Map<String, List<String>> rankedByCategory;
    private final String fallback;
    private final Map<String, ExpertBackend> experts;
    private final Predicate<String> healthy;

    /**
     * @param rankedByCategory per category, its experts best first (mapped expert, then alternates)
     * @param fallback         the global fallback expert, tried last (may be null)
     * @param healthy          whether an expert is believed up (remote health; true for local experts)
     */
    public NextBestExpert(Map<String, List<String>> rankedByCategory, String fallback,
                          Map<String, ExpertBackend> experts, Predicate<String> healthy) {
        this.rankedByCategory = Map.copyOf(rankedByCategory);
        this.fallback = fallback;
        this.experts = experts;
        this.healthy = healthy;
    }

    @Override
    public ExpertBackend apply(GenerationJob job) {
        Set<String> candidates = new LinkedHashSet<>();
        if (job.category() != null) {
            candidates.addAll(rankedByCategory.getOrDefault(job.category(), List.of()));
        }
        if (fallback != null) {
            candidates.add(fallback);
        }
        candidates.remove(job.expert().id());
        job.failed().forEach(candidates::remove);
        List<String> left = new ArrayList<>(candidates);
        for (String id : left) {
            if (experts.containsKey(id) && healthy.test(id)) {
                return experts.get(id);
            }
        }
        // Every candidate looks down: try the best one anyway rather than fail without trying.
        return left.stream().filter(experts::containsKey).findFirst().map(experts::get).orElse(null);
    }
}
