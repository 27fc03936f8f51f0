package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One expert: either a local GGUF file ({@code path}) or a remote OpenAI-compatible server ({@code base_url} +
 * {@code model}, with the API key read from the environment variable {@code api_key_env}).
 */
public record ExpertConfig(
        @JsonProperty("id") String id,
        @JsonProperty("path") String path,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("model") String model,
        @JsonProperty("api_key_env") String apiKeyEnv,
        @JsonProperty("description") String description,
        @JsonProperty("pinned") Boolean pinned) {

    public boolean isRemote() {
        return baseUrl != null;
    }

    public boolean isPinned() {
        return Boolean.TRUE.equals(pinned);
    }

    public String describe() {
        return description == null ? "" : description;
    }
}
