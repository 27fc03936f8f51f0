package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.ArrayList;
import java.util.List;

/**
 * A router category and the expert that answers it. {@code alternates} rank the experts that answer instead, best
 * first, when that expert fails (a remote one unreachable or erroring after its retries); the global fallback
 * expert comes after them.
 */
public record CategoryConfig(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("expert") String expert,
        @JsonProperty("alternates") List<String> alternates) {

    public CategoryConfig(String name, String description, String expert) {
        this(name, description, expert, null);
    }

    public List<String> alternatesOrEmpty() {
        return alternates == null ? List.of() : alternates;
    }

    /** The category's experts, best first: the mapped expert, then the alternates. */
    public List<String> ranked() {
        List<String> ranked = new ArrayList<>();
        ranked.add(expert);
        ranked.addAll(alternatesOrEmpty());
        return ranked;
    }
}
