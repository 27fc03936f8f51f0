package dev.chorus.cli;

import dev.chorus.model.KvType;
import dev.chorus.model.ModelOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every command that runs a model shares. */
final class ModelOptionsMixin {
    @Option(names = {"-m", "--model"}, required = true, paramLabel = "FILE", description = "GGUF model file.")
    Path model;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "Compute threads (default: all cores).")
    Integer threads;

    @Option(names = "--kv-type", paramLabel = "TYPE", defaultValue = "F32",
            description = "KV cache type: F32 or F16 (default: ${DEFAULT-VALUE}).")
    String kvType;

    @Option(names = {"-c", "--ctx-size"}, paramLabel = "N", defaultValue = "0",
            description = "Context length per sequence (default: the model's).")
    int contextLength;

    ModelOptions options() {
        KvType kv = switch (kvType.toUpperCase()) {
            case "F32" -> KvType.F32;
            case "F16" -> KvType.F16;
            default -> throw new IllegalArgumentException("--kv-type must be F32 or F16, got '" + kvType + "'");
        };
        ModelOptions o = ModelOptions.defaults().withKvType(kv).withContextLength(contextLength);
        return threads == null ? o : o.withThreads(threads);
    }
}
