package dev.chorus.serve;

import java.util.List;

/**
 * A validated generation request, independent of HTTP: what to continue, how to sample, when to stop.
 * {@code topLogprobs} is -1 when log-probabilities were not asked for, else 0..20 alternatives per token.
 * {@code ignoreEos} (llama.cpp's and vLLM's extension) keeps generating past end-of-generation tokens, so that an
 * answer has exactly {@code maxTokens} tokens (benchmarks). {@code format} JSON_OBJECT constrains the answer to one JSON
 * object (constrained decoding), which ends the answer when it closes.
 */
public record GenerationRequest(PromptInput input, SamplingSettings sampling, int maxTokens, List<String> stop,
                                int topLogprobs, boolean ignoreEos, OutputFormat format) {
    public GenerationRequest {
        stop = List.copyOf(stop);
        if (format == null) {
            throw new IllegalArgumentException("format must not be null");
        }
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
    }

    /** A free-text request. */
    public GenerationRequest(PromptInput input, SamplingSettings sampling, int maxTokens, List<String> stop,
                             int topLogprobs, boolean ignoreEos) {
        this(input, sampling, maxTokens, stop, topLogprobs, ignoreEos, OutputFormat.TEXT);
    }

    public GenerationRequest withFormat(OutputFormat f) {
        return new GenerationRequest(input, sampling, maxTokens, stop, topLogprobs, ignoreEos, f);
    }

    public boolean wantsLogprobs() {
        return topLogprobs >= 0;
    }
}
