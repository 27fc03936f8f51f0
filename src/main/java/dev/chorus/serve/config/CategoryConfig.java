package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A router category and the expert that answers it. */
public record CategoryConfig(
        @JsonProperty("name") String name,
        @JsonProperty("description") String description,
        @JsonProperty("expert") String expert) {
}
