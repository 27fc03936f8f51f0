package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Where the server listens, how many generation threads it runs, and the optional API keys it accepts. */
public record ServerSettings(
        @JsonProperty("host") String host,
        @JsonProperty("port") Integer port,
        @JsonProperty("threads") Integer threads,
        @JsonProperty("api_keys") List<String> apiKeys) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;

    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_HOST, DEFAULT_PORT, null, List.of());
    }

    public String hostOrDefault() {
        return host == null ? DEFAULT_HOST : host;
    }

    public int portOrDefault() {
        return port == null ? DEFAULT_PORT : port;
    }

    /** Generation threads: by default the available processors (each runs one expert at a time). */
    public int threadsOrDefault() {
        return threads == null ? Math.max(1, Runtime.getRuntime().availableProcessors()) : threads;
    }

    public List<String> apiKeysOrEmpty() {
        return apiKeys == null ? List.of() : apiKeys;
    }

    public ServerSettings with(String newHost, Integer newPort, Integer newThreads) {
        return new ServerSettings(newHost != null ? newHost : host, newPort != null ? newPort : port,
                newThreads != null ? newThreads : threads, apiKeys);
    }
}
