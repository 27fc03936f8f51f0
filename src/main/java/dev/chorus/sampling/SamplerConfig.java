package dev.chorus.sampling;

/**
 * Sampling settings, with llama.cpp's meanings. A temperature of 0 (or below) is greedy decoding.
 *
 * @param topK             keep the k most likely tokens; 0 keeps all
 * @param topP             keep the smallest set whose probability reaches p; 1 disables
 * @param minP             drop tokens below minP x the top probability; 0 disables
 * @param repeatPenalty    divides positive / multiplies negative logits of recent tokens; 1 disables
 * @param presencePenalty  subtracted once from the logit of every recent token
 * @param frequencyPenalty subtracted per occurrence of a recent token
 * @param penaltyLastN     how many recent tokens the penalties look at (prompt included); 0 disables them, -1 = all
 * @param seed             random seed: the same seed, prompt and settings give the same tokens
 */
public record SamplerConfig(float temperature, int topK, float topP, float minP, float repeatPenalty,
                            float presencePenalty, float frequencyPenalty, int penaltyLastN, long seed) {
    public SamplerConfig {
        if (topK < 0) {
            throw new IllegalArgumentException("top-k must not be negative, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        }
        if (!(minP >= 0 && minP <= 1)) {
            throw new IllegalArgumentException("min-p must be in [0, 1], got " + minP);
        }
        if (!(repeatPenalty > 0)) {
            throw new IllegalArgumentException("repeat penalty must be positive, got " + repeatPenalty);
        }
        if (penaltyLastN < -1) {
            throw new IllegalArgumentException("penalty window must be -1, 0 or positive, got " + penaltyLastN);
        }
    }

    /** llama.cpp's defaults: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05, no penalties. */
    public static SamplerConfig defaults(long seed) {
        return new SamplerConfig(0.8f, 40, 0.95f, 0.05f, 1f, 0f, 0f, 64, seed);
    }

    /** Always the most likely token. */
    public static SamplerConfig greedy() {
        return new SamplerConfig(0f, 0, 1f, 0f, 1f, 0f, 0f, 64, 0);
    }

    public boolean isGreedy() {
        return temperature <= 0;
    }

    public SamplerConfig withTemperature(float t) {
        return new SamplerConfig(t, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerConfig withTopK(int k) {
        return new SamplerConfig(temperature, k, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerConfig withTopP(float p) {
        return new SamplerConfig(temperature, topK, p, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerConfig withMinP(float p) {
        return new SamplerConfig(temperature, topK, topP, p, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, seed);
    }

    public SamplerConfig withPenalties(float repeat, float presence, float frequency, int lastN) {
        return new SamplerConfig(temperature, topK, topP, minP, repeat, presence, frequency, lastN, seed);
    }

    public SamplerConfig withSeed(long s) {
        return new SamplerConfig(temperature, topK, topP, minP, repeatPenalty, presencePenalty, frequencyPenalty, penaltyLastN, s);
    }

    boolean hasPenalties() {
        return penaltyLastN != 0 && (repeatPenalty != 1f || presencePenalty != 0f || frequencyPenalty != 0f);
    }
}
