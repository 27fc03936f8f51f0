package dev.chorus.serve.local;

import dev.chorus.memory.ExpertLease;
import dev.chorus.model.Batch;
import dev.chorus.model.Logits;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.ServedFrom;

import java.util.ArrayList;
import java.util.List;

/**
 * Continuous batching on one hot local expert: holds the expert's lease for as long as it runs, and at each step
 * runs one forward pass holding one token of every decoding sequence plus prompt chunks of joining sequences (up to
 * the engine's batch capacity), so the weights are read once for all of them. Sequences join and leave between
 * steps; a cancelled one leaves at the next step. Used by one thread.
 */
public final class BatchSession implements AutoCloseable {
    private final ExpertLease<ModelRuntime> lease;
    private final OutputVocabulary vocabulary;
    private ServedFrom servedFrom;
    private final List<BatchSequence> active = new ArrayList<>();
    /** Owner of each batch entry of the current step (null for prompt positions without logits). */
    private BatchSequence[] owners = new BatchSequence[0];

    BatchSession(ExpertLease<ModelRuntime> lease, OutputVocabulary vocabulary, ServedFrom servedFrom) {
        this.lease = lease;
        this.vocabulary = vocabulary;
        this.servedFrom = servedFrom;
    }

    /** How the expert was made ready for this session (tier before, switch time); later joiners see it hot. */
    public ServedFrom servedFrom() {
        return servedFrom;
    }

    public void join(GenerationJob job) {
        job.sink().started(servedFrom);
        servedFrom = ServedFrom.HOT;
        if (job.cancel().isCancelled()) {
            job.sink().finished(FinishReason.CANCELLED);
            return;
        }
        active.add(new BatchSequence(job, lease.runtime().model().newSequence(), vocabulary));
    }

    public int active() {
        return active.size();
    }

    /** One forward pass over all active sequences; finished and cancelled sequences leave afterwards. */
    public void step() {
        removeDone(true);
        if (active.isEmpty()) {
            return;
        }
        ModelRuntime runtime = lease.runtime();
        Batch batch = runtime.batch();
        if (owners.length < batch.capacity()) {
            owners = new BatchSequence[batch.capacity()];
        }
        List<float[]> rows = new ArrayList<>();
        List<BatchSequence> rowOwners = new ArrayList<>();
        runtime.forwardLock().lock();
        try {
            batch.clear();
            for (BatchSequence s : active) {
                if (!s.prefilling() && batch.size() < batch.capacity()) {
                    owners[batch.size()] = s;
                    batch.add(s.sequence(), s.sequence().length(), s.nextToken(), true);
                }
            }
            for (BatchSequence s : active) {
                int room = batch.capacity() - batch.size();
                if (s.prefilling() && room > 0) {
                    int n = Math.min(room, s.promptLeft());
                    int from = s.fed();
                    boolean last = from + n == s.prompt().length;
                    for (int i = 0; i < n; i++) {
                        owners[batch.size() + i] = last && i == n - 1 ? s : null;
                    }
                    batch.addAll(s.sequence(), s.prompt(), from, from + n, last);
                    s.advancePrompt(n);
                }
            }
            Logits logits = runtime.engine().forward(batch);
            for (int r = 0; r < logits.rows(); r++) {
                rows.add(logits.row(r));
                rowOwners.add(owners[logits.entry(r)]);
            }
        } finally {
            runtime.forwardLock().unlock();
        }
        for (int r = 0; r < rows.size(); r++) {
            rowOwners.get(r).accept(rows.get(r));
        }
        removeDone(false);
    }

    private void removeDone(boolean checkCancelled) {
        active.removeIf(s -> {
            boolean gone = checkCancelled ? s.dropIfCancelled() : s.done();
            if (gone) {
                s.close();
            }
            return gone;
        });
    }

    public void failAll(Throwable error) {
        for (BatchSequence s : active) {
            s.fail(error);
            s.close();
        }
        active.clear();
    }

    /** Cancels sequences still active, then releases the expert. */
    @Override
    public void close() {
        try {
            for (BatchSequence s : active) {
                if (!s.done()) {
                    s.sink().finished(FinishReason.CANCELLED);
                }
                s.close();
            }
            active.clear();
        } finally {
            lease.close();
        }
    }
}
