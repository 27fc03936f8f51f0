package dev.chorus.serve.local;

import dev.chorus.model.Batch;
import dev.chorus.model.Logits;
import dev.chorus.model.Sequence;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.TokenSink;

/**
 * One request's decode on a hot expert: prefill the prompt in chunks, then let a {@link TokenPicker} choose and
 * report one token at a time until an end-of-generation token, a stop sequence, a complete JSON answer, the token
 * limit, the context limit or cancellation (checked before every step). Unlike the engine's Generator it shares the
 * runtime's engine between requests (forward passes under its lock), reports token ids and log-probabilities, and
 * stops when the client is gone.
 */
final class GenerationLoop {
    private final ModelRuntime runtime;
    private final OutputVocabulary vocabulary;
    private final int[] prompt;
    private final GenerationRequest request;
    private final TokenSink sink;
    private final CancellationToken cancel;

    GenerationLoop(ModelRuntime runtime, OutputVocabulary vocabulary, int[] prompt, GenerationRequest request,
                   TokenSink sink, CancellationToken cancel) {
        this.runtime = runtime;
        this.vocabulary = vocabulary;
        this.prompt = prompt;
        this.request = request;
        this.sink = sink;
        this.cancel = cancel;
    }

    void run() {
        try (Sequence seq = runtime.model().newSequence()) {
            float[] logits = prefill(seq);
            TokenPicker picker = vocabulary.picker(request, sink);
            while (true) {
                if (cancel.isCancelled()) {
                    sink.finished(FinishReason.CANCELLED);
                    return;
                }
                int token = picker.pick(logits, seq);
                if (token < 0) {
                    return;
                }
                logits = step(seq, token);
            }
        }
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
}
