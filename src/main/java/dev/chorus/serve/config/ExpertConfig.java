package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;

/**
 * One expert: either a local GGUF file ({@code path}) or a remote OpenAI-compatible server ({@code base_url} +
 * {@code model}, with the API key read from the environment variable {@code api_key_env}). A remote expert's
 * {@code connect_timeout} bounds opening a connection, {@code read_timeout} the wait for the response headers and
 * every silence between two streamed chunks.
 */
public record ExpertConfig(
        @JsonProperty("id") String id,
        @JsonProperty("path") String path,
        @JsonProperty("base_url") String baseUrl,
        @JsonProperty("model") String model,
        @JsonProperty("api_key_env") String apiKeyEnv,
        @JsonProperty("description") String description,
        @JsonProperty("pinned") Boolean pinned,
        @JsonProperty("connect_timeout") String connectTimeout,
        @JsonProperty("read_timeout") String readTimeout) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);

    /** A local expert (a GGUF file). */
    public static ExpertConfig local(String id, String path, String description) {
        return new ExpertConfig(id, path, null, null, null, description, null, null, null);
    }

    public Duration connectTimeoutOrDefault() {
        return connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : MemorySettings.parseDuration(connectTimeout);
    }

    public Duration readTimeoutOrDefault() {
        return readTimeout == null ? DEFAULT_READ_TIMEOUT : MemorySettings.parseDuration(readTimeout);
    }

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
