package dev.chorus.serve.local;

import dev.chorus.model.Sequence;
import dev.chorus.sampling.Sampler;
import dev.chorus.sampling.StopStrings;
import dev.chorus.sampling.TokenHistory;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.TokenSink;
import dev.chorus.tokenizer.StreamingDecoder;
import dev.chorus.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One request inside a {@link BatchSession}: its KV sequence, how much of its prompt is fed, and the per-request
 * sampler, stop matcher and streaming decoder — the same pieces and the same order of checks as
 * {@link GenerationLoop}, driven one step at a time by the batch instead of a loop of its own.
 */
final class BatchSequence implements AutoCloseable {
    private final GenerationJob job;
    private final Tokenizer tokenizer;
    private final int[] endOfGeneration;
    private final int[] prompt;
    private final Sequence sequence;
    private final Sampler sampler;
    private final TokenHistory generatedTokens = new TokenHistory();
    private final StreamingDecoder decoder;
    private final StopStrings stops;
    private int fed;
    private int generated;
    private int nextToken = -1;
    private boolean done;

    BatchSequence(GenerationJob job, Sequence sequence, Tokenizer tokenizer, int[] endOfGeneration) {
        this.job = job;
        this.tokenizer = tokenizer;
        this.endOfGeneration = endOfGeneration;
        this.prompt = job.prompt().tokens();
        this.sequence = sequence;
        this.sampler = new Sampler(GenerationLoop.samplerConfig(job.request().sampling()));
        this.decoder = tokenizer.newStreamingDecoder();
        this.stops = new StopStrings(job.request().stop());
    }

    Sequence sequence() {
        return sequence;
    }

    boolean prefilling() {
        return fed < prompt.length;
    }

    /** Prompt tokens not yet fed. */
    int promptLeft() {
        return prompt.length - fed;
    }

    int[] prompt() {
        return prompt;
    }

    int fed() {
        return fed;
    }

    void advancePrompt(int n) {
        fed += n;
    }

    /** The token this sequence feeds at the next decode step. */
    int nextToken() {
        return nextToken;
    }

    boolean done() {
        return done;
    }

    CancellationToken cancel() {
        return job.cancel();
    }

    TokenSink sink() {
        return job.sink();
    }

    /** Finishes with CANCELLED when the client is gone; true if it did. */
    boolean dropIfCancelled() {
        if (!done && job.cancel().isCancelled()) {
            end(FinishReason.CANCELLED);
        }
        return done;
    }

    /** Consumes the logits of this sequence's last fed position: samples, reports, and decides whether it ends. */
    void accept(float[] logits) {
        if (dropIfCancelled()) {
            return;
        }
        double[] logprobs = job.request().wantsLogprobs() ? GenerationLoop.logSoftmax(logits) : null;
        if (job.request().ignoreEos()) {
            for (int id : endOfGeneration) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
        int token = sampler.sample(logits, 0, logits.length, generatedTokens);
        if (tokenizer.isEndOfGeneration(token)) {
            finishFlushing(FinishReason.STOP);
            return;
        }
        generated++;
        generatedTokens.add(token);
        String text = stops.feed(decoder.feed(token));
        job.sink().token(logprobs == null ? GeneratedToken.of(token, text) : withLogprobs(token, text, logprobs));
        if (stops.stopped()) {
            end(FinishReason.STOP);
            return;
        }
        if (generated >= job.request().maxTokens() || sequence.length() >= sequence.maxLength()) {
            finishFlushing(FinishReason.LENGTH);
            return;
        }
        nextToken = token;
    }

    private void finishFlushing(FinishReason reason) {
        String rest = stops.feed(decoder.flush());
        rest += stops.flush();
        if (!rest.isEmpty()) {
            job.sink().token(GeneratedToken.of(-1, rest));
        }
        end(stops.stopped() ? FinishReason.STOP : reason);
    }

    private void end(FinishReason reason) {
        done = true;
        job.sink().finished(reason);
    }

    void fail(Throwable error) {
        if (!done) {
            done = true;
            job.sink().failed(error);
        }
    }

    private GeneratedToken withLogprobs(int token, String text, double[] logprobs) {
        List<GeneratedToken.Alternative> top = new ArrayList<>();
        boolean[] taken = new boolean[logprobs.length];
        for (int k = 0; k < job.request().topLogprobs(); k++) {
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
        return new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        sequence.close();
    }
}
