package dev.chorus.serve;

import java.util.Map;

/** What {@code GET /v1/experts} shows for one expert: where its weights are, how big they are, and its stats. */
public record ExpertState(String id, String kind, String tier, long bytes, boolean pinned, Map<String, Object> stats) {
}
