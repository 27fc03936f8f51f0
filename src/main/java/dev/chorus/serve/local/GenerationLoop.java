package dev.chorus.serve.local;

import dev.chorus.model.Batch;
import dev.chorus.model.Logits;
import dev.chorus.model.Sequence;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.TokenSink;
import dev.chorus.tokenizer.StreamingDecoder;
import dev.chorus.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request's decode on a hot expert: prefill the prompt in chunks, then sample, decode and report one token at
 * a time until an end-of-generation token, a stop sequence, the token limit, the context limit or cancellation.
 */
final class GenerationLoop {
    private final ModelRuntime runtime;
    private final Tokenizer tokenizer;
    private final int[] prompt;
    private final GenerationRequest request;
    private final TokenSink sink;
    private final CancellationToken cancel;

    GenerationLoop(ModelRuntime runtime, Tokenizer tokenizer, int[] prompt, GenerationRequest request,
                   TokenSink sink, CancellationToken cancel) {
        this.runtime = runtime;
        this.tokenizer = tokenizer;
        this.prompt = prompt;
        this.request = request;
        this.sink = sink;
        this.cancel = cancel;
    }

    void run() {
        try (Sequence seq = runtime.model().newSequence()) {
            float[] logits = prefill(seq);
            TokenSampler sampler = new TokenSampler(request.sampling());
            StreamingDecoder decoder = tokenizer.newStreamingDecoder();
            StopStrings stops = new StopStrings(request.stop());
            for (int generated = 0; ; ) {
                if (cancel.isCancelled()) {
                    sink.finished(FinishReason.CANCELLED);
                    return;
                }
                double[] logprobs = request.wantsLogprobs() ? TokenSampler.logSoftmax(logits) : null;
                int token = sampler.sample(logits);
                if (tokenizer.isEndOfGeneration(token)) {
                    finish(FinishReason.STOP, decoder, stops);
                    return;
                }
                generated++;
                String text = stops.accept(decoder.feed(token));
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
        String rest = stops.accept(decoder.flush());
        rest += stops.flush();
        if (!rest.isEmpty()) {
            sink.token(new GeneratedToken(-1, rest, null, List.of()));
        }
        sink.finished(stops.stopped() ? FinishReason.STOP : reason);
    }

    private float[] prefill(Sequence seq) {
        Batch batch = runtime.batch();
        float[] last = null;
        for (int from = 0; from < prompt.length; from += batch.capacity()) {
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
            if (cancel.isCancelled()) {
                break;
            }
        }
        return last == null ? new float[0] : last;
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
        return new GeneratedToken(token, text, logprobs[token], top);
    }

    private String tokenString(int id) {
        return new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
    }
}
