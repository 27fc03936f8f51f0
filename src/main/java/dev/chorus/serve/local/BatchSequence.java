package dev.chorus.serve.local;

import dev.chorus.model.Sequence;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.TokenSink;

/**
 * One request inside a {@link BatchSession}: its KV sequence, how much of its prompt is fed, and its
 * {@link TokenPicker} (the same decisions as {@link GenerationLoop}), driven one step at a time by the batch instead
 * of a loop of its own.
 */
final class BatchSequence implements AutoCloseable {
    private final GenerationJob job;
    private final int[] prompt;
    private final Sequence sequence;
    private final TokenPicker picker;
    private int fed;
    private int nextToken = -1;
    private boolean done;

    BatchSequence(GenerationJob job, Sequence sequence, OutputVocabulary vocabulary) {
        this.job = job;
        this.prompt = job.prompt().tokens();
        this.sequence = sequence;
        this.picker = vocabulary.picker(job.request(), job.sink());
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
        nextToken = picker.pick(logits, sequence);
        done = nextToken < 0;
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

    @Override
    public void close() {
        sequence.close();
    }
}
