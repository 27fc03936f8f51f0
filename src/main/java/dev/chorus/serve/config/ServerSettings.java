package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Where the server listens, its compute threads (per forward pass, like llama.cpp's --threads), how many requests
 * generate at once ({@code parallel}; the rest wait in per-expert queues) and the optional API keys it accepts.
 */
public record ServerSettings(
        @JsonProperty("host") String host,
        @JsonProperty("port") Integer port,
        @JsonProperty("threads") Integer threads,
        @JsonProperty("parallel") Integer parallel,
        @JsonProperty("api_keys") List<String> apiKeys) {
    public static final int DEFAULT_PARALLEL = 2;

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, null, null, List.of());
    }

    public String hostOrDefault() {
        return host == null ? DEFAULT_HOST : host;
    }

    public int portOrDefault() {
        return port == null ? DEFAULT_PORT : port;
    }

    /** Compute threads of each forward pass: by default the available processors. */
    public int threadsOrDefault() {
        return threads == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : threads;
    }

    /** Requests generating at the same time (each on its own sequence). */
    public int parallelOrDefault() {
        return parallel == null ? DEFAULT_PARALLEL : parallel;
    }

    public List<String> apiKeysOrEmpty() {
        return apiKeys == null ? List.of() : apiKeys;
    }

    public ServerSettings with(String newHost, Integer newPort, Integer newThreads, Integer newParallel) {
        return new ServerSettings(newHost != null ? newHost : host, newPort != null ? newPort : port,
                newThreads != null ? newThreads : threads, newParallel != null ? newParallel : parallel, apiKeys);
    }
}
