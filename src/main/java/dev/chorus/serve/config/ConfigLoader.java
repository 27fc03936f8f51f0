package dev.chorus.serve.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chorus.ChorusException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads and validates a Chorus YAML configuration. Every problem is reported with where it is (for example
 * {@code experts[1].path}) so that a user can fix the file without reading code; all problems found are reported
 * together. Relative paths are resolved against the configuration file's folder.
 */
public final class ConfigLoader {
    private static final Pattern EXPERT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** Reserved: {@code model: "chorus"} asks the router to choose. */
    public static final String ROUTER_MODEL = "chorus";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private ConfigLoader() {
    }

    public static ChorusConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ChorusException("config file not found: " + file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ChorusException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(text, base, file.toString());
    }

    /** Parses YAML text; relative paths are resolved against {@code baseDir}; {@code source} names it in errors. */
    public static ChorusConfig parse(String yaml, Path baseDir, String source) {
        ChorusConfig raw;
        try {
            raw = YAML.readValue(yaml, ChorusConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String where = path(e);
            throw new ChorusException(source + ": unknown key '" + e.getPropertyName() + "'"
                    + (where.isEmpty() ? "" : " in " + where) + " (known keys: " + known(e) + ")");
        } catch (JsonMappingException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String detail = cause == e ? e.getOriginalMessage() : cause.getMessage();
            throw new ChorusException(source + ": bad value at " + path(e) + ": " + firstLine(detail));
        } catch (JsonProcessingException e) {
            throw new ChorusException(source + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
        if (raw == null) {
            throw new ChorusException(source + ": the file is empty");
        }
        return validate(raw, baseDir, source);
    }

    static ChorusConfig validate(ChorusConfig raw, Path baseDir, String source) {
        List<String> problems = new ArrayList<>();
        List<ExpertConfig> experts = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (raw.experts() == null || raw.experts().isEmpty()) {
            problems.add("'experts' must list at least one expert");
        } else {
            for (int i = 0; i < raw.experts().size(); i++) {
                experts.add(validateExpert(raw.experts().get(i), "experts[" + i + "]", baseDir, ids, problems));
            }
        }
        List<CategoryConfig> categories = raw.categoriesOrEmpty();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < categories.size(); i++) {
            CategoryConfig c = categories.get(i);
            String at = "categories[" + i + "]";
            if (c == null || c.name() == null || c.name().isBlank()) {
                problems.add(at + ".name is missing");
                continue;
            }
            if (!names.add(c.name())) {
                problems.add(at + ": category '" + c.name() + "' is listed twice");
            }
            if (c.expert() == null || c.expert().isBlank()) {
                problems.add(at + ": category '" + c.name() + "' is mapped to no expert (set 'expert')");
            } else if (!ids.contains(c.expert())) {
                problems.add(at + ": category '" + c.name() + "' is mapped to unknown expert '" + c.expert()
                        + "' (experts: " + String.join(", ", ids.stream().sorted().toList()) + ")");
            }
            Set<String> ranked = new HashSet<>();
            ranked.add(c.expert());
            for (String alternate : c.alternatesOrEmpty()) {
                if (alternate == null || !ids.contains(alternate)) {
                    problems.add(at + ".alternates: unknown expert '" + alternate + "'");
                } else if (!ranked.add(alternate)) {
                    problems.add(at + ".alternates: expert '" + alternate + "' is listed twice (or is the mapped"
                            + " expert)");
                }
            }
        }
        String fallback = raw.fallback();
        if (fallback != null && !ids.contains(fallback)) {
            problems.add("fallback: unknown expert '" + fallback + "'");
        }
        if (fallback == null && !experts.isEmpty()) {
            fallback = experts.getFirst().id();
        }
        String router = raw.router();
        if (router != null) {
            Path p = baseDir.resolve(router).normalize();
            if (!Files.isRegularFile(p)) {
                problems.add("router: file not found: " + p);
            }
            router = p.toString();
        }
        validateServer(raw.serverOrDefault(), problems);
        validateLimits(raw.limitsOrDefault(), problems);
        validateMemory(raw.memoryOrDefault(), problems);
        problems.addAll(raw.schedulerOrDefault().problems());
        if (!problems.isEmpty()) {
            throw new ChorusException(source + ": " + String.join("; ", problems));
        }
        return new ChorusConfig(raw.serverOrDefault(), List.copyOf(experts), List.copyOf(categories), fallback,
                router, raw.memoryOrDefault(), raw.limitsOrDefault(), raw.schedulerOrDefault());
    }

    private static ExpertConfig validateExpert(ExpertConfig e, String at, Path baseDir, Set<String> ids,
                                               List<String> problems) {
        if (e == null) {
            problems.add(at + " is empty");
            return null;
        }
        if (e.id() == null || e.id().isBlank()) {
            problems.add(at + ".id is missing");
        } else if (!EXPERT_ID.matcher(e.id()).matches()) {
            problems.add(at + ".id '" + e.id() + "' must be letters, digits, '.', '_' or '-' (at most 64)");
        } else if (e.id().equals(ROUTER_MODEL)) {
            problems.add(at + ".id 'chorus' is reserved for the router");
        } else if (!ids.add(e.id())) {
            problems.add(at + ": expert id '" + e.id() + "' is used twice");
        }
        String name = at + (e.id() == null ? "" : " ('" + e.id() + "')");
        String path = e.path();
        if (e.path() != null && e.baseUrl() != null) {
            problems.add(name + ": give either 'path' (local GGUF) or 'base_url' (remote), not both");
        } else if (e.path() == null && e.baseUrl() == null) {
            problems.add(name + ": needs 'path' (a local GGUF file) or 'base_url' (a remote server)");
        } else if (e.path() != null) {
            Path p = baseDir.resolve(e.path()).normalize();
            if (!Files.isRegularFile(p)) {
                problems.add(name + ".path: file not found: " + p);
            }
            path = p.toString();
            if (e.model() != null || e.apiKeyEnv() != null || e.connectTimeout() != null || e.readTimeout() != null) {
                problems.add(name + ": 'model', 'api_key_env', 'connect_timeout' and 'read_timeout' apply only to"
                        + " remote experts (base_url)");
            }
        } else {
            if (!e.baseUrl().startsWith("http://") && !e.baseUrl().startsWith("https://")) {
                problems.add(name + ".base_url must start with http:// or https://");
            }
            if (e.model() == null || e.model().isBlank()) {
                problems.add(name + ".model is missing (the model name on the remote server)");
            }
            timeout(name + ".connect_timeout", e.connectTimeout(), problems);
            timeout(name + ".read_timeout", e.readTimeout(), problems);
        }
        return new ExpertConfig(e.id(), path, e.baseUrl(), e.model(), e.apiKeyEnv(), e.description(), e.pinned(),
                e.connectTimeout(), e.readTimeout());
    }

    private static void timeout(String at, String value, List<String> problems) {
        if (value == null) {
            return;
        }
        try {
            if (MemorySettings.parseDuration(value).toMillis() < 1) {
                problems.add(at + " must be at least 1ms");
            }
        } catch (IllegalArgumentException e) {
            problems.add(at + ": " + e.getMessage());
        }
    }

    private static void validateServer(ServerSettings s, List<String> problems) {
        if (s.port() != null && (s.port() < 0 || s.port() > 65535)) {
            problems.add("server.port must be 0..65535, not " + s.port());
        }
        if (s.threads() != null && s.threads() < 1) {
            problems.add("server.threads must be at least 1");
        }
        if (s.parallel() != null && s.parallel() < 1) {
            problems.add("server.parallel must be at least 1");
        }
        if (s.contextLength() != null && s.contextLength() < 0) {
            problems.add("server.context_length must be 0 (each model's own) or more, not " + s.contextLength());
        }
        try {
            s.kvCacheOrDefault();
        } catch (IllegalArgumentException e) {
            problems.add("server." + e.getMessage());
        }
        for (String key : s.apiKeysOrEmpty()) {
            if (key == null || key.isBlank()) {
                problems.add("server.api_keys must not contain empty keys");
            }
        }
    }

    private static void validateLimits(Limits l, List<String> problems) {
        positive("limits.max_queue", l.maxQueue(), problems);
        positive("limits.max_prompt_tokens", l.maxPromptTokens(), problems);
        positive("limits.max_output_tokens", l.maxOutputTokens(), problems);
        if (l.maxRequestBytes() != null && l.maxRequestBytes().bytes() < 1024) {
            problems.add("limits.max_request_bytes must be at least 1k");
        }
    }

    private static void validateMemory(MemorySettings m, List<String> problems) {
        if (m.hotMemory() != null && m.hotMemory().bytes() == 0) {
            problems.add("memory.hot_memory must be greater than 0");
        }
        try {
            m.policy();
        } catch (IllegalArgumentException e) {
            problems.add("memory.eviction: " + e.getMessage());
        }
        try {
            m.keepAliveDuration();
        } catch (IllegalArgumentException e) {
            problems.add("memory.keep_alive: " + e.getMessage());
        }
    }

    private static void positive(String key, Integer value, List<String> problems) {
        if (value != null && value < 1) {
            problems.add(key + " must be at least 1, not " + value);
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        // The unknown property itself is the last reference; report where it sits.
        if (e instanceof UnrecognizedPropertyException u && sb.toString().endsWith(u.getPropertyName())) {
            sb.setLength(Math.max(0, sb.length() - u.getPropertyName().length() - 1));
        }
        return sb.toString();
    }

    private static String known(UnrecognizedPropertyException e) {
        return e.getKnownPropertyIds() == null ? "?" : e.getKnownPropertyIds().stream()
                .map(String::valueOf).sorted().collect(Collectors.joining(", "));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
