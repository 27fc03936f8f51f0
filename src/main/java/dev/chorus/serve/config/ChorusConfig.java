package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/**
 * The whole server configuration, as read from one YAML file by {@link ConfigLoader}. After loading, every local
 * path is absolute and the cross references (category -> expert, fallback) have been checked.
 */
public record ChorusConfig(
        @JsonProperty("server") ServerSettings server,
        @JsonProperty("experts") List<ExpertConfig> experts,
        @JsonProperty("categories") List<CategoryConfig> categories,
        @JsonProperty("fallback") String fallback,
        @JsonProperty("router") String router,
        @JsonProperty("memory") MemorySettings memory,
        @JsonProperty("limits") Limits limits,
        @JsonProperty("scheduler") SchedulerSettings scheduler) {

    public ChorusConfig(ServerSettings server, List<ExpertConfig> experts, List<CategoryConfig> categories,
                        String fallback, String router, MemorySettings memory, Limits limits) {
        this(server, experts, categories, fallback, router, memory, limits, null);
    }

    public SchedulerSettings schedulerOrDefault() {
        return scheduler == null ? SchedulerSettings.defaults() : scheduler;
    }

    public ServerSettings serverOrDefault() {
        return server == null ? ServerSettings.defaults() : server;
    }

    public MemorySettings memoryOrDefault() {
        return memory == null ? MemorySettings.defaults() : memory;
    }

    public Limits limitsOrDefault() {
        return limits == null ? Limits.defaults() : limits;
    }

    public List<CategoryConfig> categoriesOrEmpty() {
        return categories == null ? List.of() : categories;
    }

    public Optional<ExpertConfig> expert(String id) {
        return experts.stream().filter(e -> e.id().equals(id)).findFirst();
    }

    public ChorusConfig withMemory(MemorySettings newMemory) {
        return new ChorusConfig(server, experts, categories, fallback, router, newMemory, limits);
    }

    public ChorusConfig withServer(ServerSettings newServer) {
        return new ChorusConfig(newServer, experts, categories, fallback, router, memory, limits, scheduler);
    }
}
