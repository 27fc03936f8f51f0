package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.chorus.model.KvType;

import java.util.List;
import java.util.Locale;

/**
 * Where the server listens, its compute threads (per forward pass, like llama.cpp's --threads), how many requests
 * generate at once ({@code parallel}; the rest wait in per-expert queues), the optional API keys it accepts, and the
 * local experts' sequences: {@code context_length} tokens each at most (like llama.cpp's -c; 0 = each model's own,
 * which for recent models reserves gigabytes of KV cache per sequence) with keys and values stored as
 * {@code kv_cache} ({@code f32}, or {@code f16} at half the memory, as llama.cpp does by default).
 */
public record ServerSettings(
        @JsonProperty("host") String host,
        @JsonProperty("port") Integer port,
        @JsonProperty("threads") Integer threads,
        @JsonProperty("parallel") Integer parallel,
        @JsonProperty("api_keys") List<String> apiKeys,
        @JsonProperty("context_length") Integer contextLength,
        @JsonProperty("kv_cache") String kvCache) {
    public static final int DEFAULT_PARALLEL = 2;
    public static final int DEFAULT_CONTEXT_LENGTH = 4096;

    public ServerSettings(String host, Integer port, Integer threads, Integer parallel, List<String> apiKeys) {
        this(host, port, threads, parallel, apiKeys, null, null);
    }

    /** Tokens per sequence of a local expert: at most this (0 = the model's own context). */
    public int contextLengthOrDefault() {
        return contextLength == null ? DEFAULT_CONTEXT_LENGTH : contextLength;
    }

    /** The KV cache element type; F32 unless {@code kv_cache: f16}. */
    public KvType kvCacheOrDefault() {
        if (kvCache == null) {
            return KvType.F32;
        }
        return switch (kvCache.trim().toLowerCase(Locale.ROOT)) {
            case "f32" -> KvType.F32;
            case "f16" -> KvType.F16;
            default -> throw new IllegalArgumentException("kv_cache must be f32 or f16, not '" + kvCache + "'");
        };
    }

    /** These settings with each non-null argument replacing its field (command-line options over the file). */
    public ServerSettings withSequences(Integer newContextLength, String newKvCache) {
        return new ServerSettings(host, port, threads, parallel, apiKeys,
                newContextLength != null ? newContextLength : contextLength, newKvCache != null ? newKvCache : kvCache);
    }

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
                newThreads != null ? newThreads : threads, newParallel != null ? newParallel : parallel, apiKeys,
                contextLength, kvCache);
    }
}
