package dev.chorus.model;

import dev.chorus.sampling.SamplerConfig;

import java.util.List;

/**
 * What to generate.
 *
 * @param maxTokens   most tokens to generate (the end-of-generation token not counted)
 * @param sampler     how to pick tokens
 * @param stopStrings text that ends the generation (not included in the output)
 * @param ignoreEos   keep going past end-of-generation tokens (benchmarks)
 */
public record GenerationOptions(int maxTokens, SamplerConfig sampler, List<String> stopStrings, boolean ignoreEos) {
    public GenerationOptions {
        if (maxTokens < 0) {
            throw new IllegalArgumentException("max tokens must not be negative, got " + maxTokens);
        }
        stopStrings = List.copyOf(stopStrings);
    }

    public static GenerationOptions of(int maxTokens, SamplerConfig sampler) {
        return new GenerationOptions(maxTokens, sampler, List.of(), false);
    }

    public GenerationOptions withStopStrings(List<String> stops) {
        return new GenerationOptions(maxTokens, sampler, stops, ignoreEos);
    }

    public GenerationOptions withIgnoreEos(boolean ignore) {
        return new GenerationOptions(maxTokens, sampler, stopStrings, ignore);
    }
}
