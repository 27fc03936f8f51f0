package dev.chorus.serve.local;

import dev.chorus.model.Batch;
import dev.chorus.model.Logits;
import dev.chorus.model.Sequence;
import dev.chorus.sampling.Sampler;
import dev.chorus.sampling.SamplerConfig;
import dev.chorus.sampling.StopStrings;
import dev.chorus.sampling.TokenHistory;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.TokenSink;
import dev.chorus.tokenizer.StreamingDecoder;
import dev.chorus.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One request's decode on a hot expert, with the engine's sampler and stop strings: prefill the prompt in chunks,
 * then sample, decode and report one token at a time until an end-of-generation token, a stop sequence, the token
 * limit, the context limit or cancellation (checked before every step). Unlike the engine's Generator it shares the
 * runtime's engine between requests (forward passes under its lock), reports token ids and log-probabilities, and
 * stops when the client is gone.
 */
final class GenerationLoop {
    private final ModelRuntime runtime;
    private final Tokenizer tokenizer;
    private final int[] endOfGeneration;
    private final int[] prompt;
    private final GenerationRequest request;
    private final TokenSink sink;
    private final CancellationToken cancel;

    GenerationLoop(ModelRuntime runtime, Tokenizer tokenizer, int[] endOfGeneration, int[] prompt,
                   GenerationRequest request, TokenSink sink, CancellationToken cancel) {
        this.runtime = runtime;
        this.tokenizer = tokenizer;
        this.endOfGeneration = endOfGeneration;
        this.prompt = prompt;
        this.request = request;
        this.sink = sink;
        this.cancel = cancel;
    }

    /** OpenAI's sampling fields in llama.cpp's terms; penalties look at the generated tokens only, as OpenAI's do. */
    static SamplerConfig samplerConfig(SamplingSettings s) {
        long seed = s.seed() != null ? s.seed() : ThreadLocalRandom.current().nextLong();
        return new SamplerConfig((float) s.temperature(), 0, (float) s.topP(), 0f, 1f, (float) s.presencePenalty(),
                (float) s.frequencyPenalty(), -1, seed);
    }

    void run() {
        try (Sequence seq = runtime.model().newSequence()) {
            float[] logits = prefill(seq);
            Sampler sampler = new Sampler(samplerConfig(request.sampling()));
            TokenHistory generatedTokens = new TokenHistory();
            StreamingDecoder decoder = tokenizer.newStreamingDecoder();
            StopStrings stops = new StopStrings(request.stop());
            for (int generated = 0; ; ) {
                if (cancel.isCancelled()) {
                    sink.finished(FinishReason.CANCELLED);
                    return;
                }
                double[] logprobs = request.wantsLogprobs() ? logSoftmax(logits) : null;
                if (request.ignoreEos()) {
                    for (int id : endOfGeneration) {
                        logits[id] = Float.NEGATIVE_INFINITY;
                    }
                }
                int token = sampler.sample(logits, 0, logits.length, generatedTokens);
                if (tokenizer.isEndOfGeneration(token)) {
                    finish(FinishReason.STOP, decoder, stops);
                    return;
                }
                generated++;
                generatedTokens.add(token);
                String text = stops.feed(decoder.feed(token));
                sink.token(logprobs == null ? GeneratedToken.of(token, text) : withLogprobs(token, text, logprobs));
                if (stops.stopped()) {
                    sink.finished(FinishReason.STOP);
                    return;
                }
                if (generated >= request.maxTokens() || seq.length() >= seq.maxLength()) {
                    finish(FinishReason.LENGTH, decoder, stops);
                    return;
                }
                logits = step(seq, token);
            }
        }
    }

    /** Releases text held back by the decoder or the stop matcher, then reports the end. */
    private void finish(FinishReason reason, StreamingDecoder decoder, StopStrings stops) {
        String rest = stops.feed(decoder.flush());
        rest += stops.flush();
        if (!rest.isEmpty()) {
            sink.token(GeneratedToken.of(-1, rest));
        }
        sink.finished(stops.stopped() ? FinishReason.STOP : reason);
    }

    /** Feeds the prompt in chunks; returns a copy of the last position's logits (the engine's buffer is shared). */
    private float[] prefill(Sequence seq) {
        Batch batch = runtime.batch();
        float[] last = new float[0];
        for (int from = 0; from < prompt.length && !cancel.isCancelled(); from += batch.capacity()) {
            int to = Math.min(prompt.length, from + batch.capacity());
            runtime.forwardLock().lock();
            try {
                batch.clear();
                batch.addAll(seq, prompt, from, to, to == prompt.length);
                Logits logits = runtime.engine().forward(batch);
                if (to == prompt.length) {
                    last = logits.row(logits.rows() - 1);
                }
            } finally {
                runtime.forwardLock().unlock();
            }
        }
        return last;
    }

    private float[] step(Sequence seq, int token) {
        Batch batch = runtime.batch();
        runtime.forwardLock().lock();
        try {
            batch.clear();
            batch.add(seq, seq.length(), token, true);
            return runtime.engine().forward(batch).row(0);
        } finally {
            runtime.forwardLock().unlock();
        }
    }

    /** Natural-log probabilities of the model's distribution (before penalties and sampling settings). */
    static double[] logSoftmax(float[] logits) {
        float max = logits[Sampler.argmax(logits, 0, logits.length)];
        double sum = 0;
        for (float v : logits) {
            sum += Math.exp(v - max);
        }
        double logSum = Math.log(sum) + max;
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - logSum;
        }
        return out;
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
        return new GeneratedToken(token, text,
                new GeneratedToken.Logprob(tokenString(token), logprobs[token], top));
    }

    private String tokenString(int id) {
        return new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
    }
}
