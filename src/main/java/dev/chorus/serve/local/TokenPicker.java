package dev.chorus.serve.local;

import dev.chorus.model.LogSoftmax;
import dev.chorus.model.Sequence;
import dev.chorus.sampling.Sampler;
import dev.chorus.sampling.SamplerConfig;
import dev.chorus.sampling.StopStrings;
import dev.chorus.sampling.TokenConstraint;
import dev.chorus.sampling.TokenHistory;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.TokenSink;
import dev.chorus.tokenizer.StreamingDecoder;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One answer's token-by-token decisions, the same whether its sequence decodes alone ({@link GenerationLoop}) or in
 * a batch ({@link BatchSequence}): sample the next token (under the request's constraint, if any), report its text
 * through the stop matcher, and end the answer at an end-of-generation token, a stop string, a complete constrained
 * answer, the token limit or the context limit.
 */
final class TokenPicker {
    private final GenerationRequest request;
    private final OutputVocabulary vocabulary;
    private final TokenSink sink;
    private final TokenConstraint constraint;
    private final Sampler sampler;
    private final TokenHistory generatedTokens = new TokenHistory();
    private final StreamingDecoder decoder;
    private final StopStrings stops;

    TokenPicker(GenerationRequest request, OutputVocabulary vocabulary, TokenSink sink, TokenConstraint constraint) {
        this.request = request;
        this.vocabulary = vocabulary;
        this.sink = sink;
        this.constraint = constraint;
        this.sampler = new Sampler(samplerConfig(request.sampling()));
        this.decoder = vocabulary.tokenizer().newStreamingDecoder();
        this.stops = new StopStrings(request.stop());
    }

    /** OpenAI's sampling fields in llama.cpp's terms; penalties look at the generated tokens only, as OpenAI's do. */
    private static SamplerConfig samplerConfig(SamplingSettings s) {
        long seed = s.seed() != null ? s.seed() : ThreadLocalRandom.current().nextLong();
        return new SamplerConfig((float) s.temperature(), 0, (float) s.topP(), 0f, 1f, (float) s.presencePenalty(),
                (float) s.frequencyPenalty(), -1, seed);
    }

    /** Natural-log probabilities of the model's distribution (before penalties and sampling settings). */
    private static double[] logSoftmax(float[] logits) {
        double logSum = LogSoftmax.logSumExp(logits, 0, logits.length);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logSum;
        }
        return out;
    }

    /**
     * Picks and reports the token that follows these logits (of {@code sequence}'s last position); returns it, or
     * -1 when the answer ended here (the end is reported).
     */
    int pick(float[] logits, Sequence sequence) {
        double[] logprobs = request.wantsLogprobs() ? logSoftmax(logits) : null;
        if (request.ignoreEos()) {
            for (int id : vocabulary.endOfGeneration()) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
        int token = sampler.sample(logits, 0, logits.length, generatedTokens, constraint);
        if (token < 0 || vocabulary.tokenizer().isEndOfGeneration(token)) {
            finish(FinishReason.STOP);
            return -1;
        }
        generatedTokens.add(token);
        if (constraint != null) {
            constraint.accept(token);
        }
        String text = stops.feed(decoder.feed(token));
        sink.token(logprobs == null ? GeneratedToken.of(token, text) : withLogprobs(token, text, logprobs));
        if (stops.stopped()) {
            sink.finished(FinishReason.STOP);
            return -1;
        }
        if (constraint != null && constraint.complete()) {
            finish(FinishReason.STOP);
            return -1;
        }
        if (generatedTokens.size() >= request.maxTokens() || sequence.length() >= sequence.maxLength()) {
            finish(FinishReason.LENGTH);
            return -1;
        }
        return token;
    }

    /** Releases text held back by the decoder or the stop matcher, then reports the end. */
    private void finish(FinishReason reason) {
        String rest = stops.feed(decoder.flush());
        rest += stops.flush();
        if (!rest.isEmpty()) {
            sink.token(GeneratedToken.of(-1, rest));
        }
        sink.finished(stops.stopped() ? FinishReason.STOP : reason);
    }

    private GeneratedToken withLogprobs(int token, String text, double[] logprobs) {
        List<GeneratedToken.Alternative> top = new ArrayList<>();
        boolean[] taken = new boolean[logprobs.length];
        for (int k = 0; k < request.topLogprobs(); k++) {
            int best = -1;
            for (int i = 0; i < logprobs.length; i++) {
                if (!taken[i] && (best < 0 || logprobs[i] > logprobs[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            top.add(new GeneratedToken.Alternative(tokenString(best), logprobs[best]));
        }
        return new GeneratedToken(token, text, new GeneratedToken.Logprob(tokenString(token), logprobs[token], top));
    }

    private String tokenString(int id) {
        return new String(vocabulary.tokenizer().tokenBytes(id), StandardCharsets.UTF_8);
    }
}
