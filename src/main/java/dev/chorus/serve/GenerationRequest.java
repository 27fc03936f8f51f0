package dev.chorus.serve;

import java.util.List;

/**
 * A validated generation request, independent of HTTP: what to continue, how to sample, when to stop.
 * {@code topLogprobs} is -1 when log-probabilities were not asked for, else 0..20 alternatives per token.
 * {@code ignoreEos} (llama.cpp's and vLLM's extension) keeps generating past end-of-generation tokens, so that an
 * answer has exactly {@code maxTokens} tokens (benchmarks).
 */
public record GenerationRequest(PromptInput input, SamplingSettings sampling, int maxTokens, List<String> stop,
                                int topLogprobs, boolean ignoreEos) {
    public GenerationRequest {
        stop = List.copyOf(stop);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be at least 1");
        }
    }

    public boolean wantsLogprobs() {
        return topLogprobs >= 0;
    }
}
