package dev.chorus.memory.engine;

import dev.chorus.ChorusException;
import dev.chorus.memory.ExpertRuntime;
import dev.chorus.model.Engine;
import dev.chorus.model.Model;
import dev.chorus.model.Sequence;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * A hot expert on the Chorus engine: its model (bound to the store's mapped weights while the expert is warm), one
 * engine (activation buffers; not thread-safe: one batch at a time per expert) and at most {@code slots} sequences,
 * which is what the hot budget reserved for.
 */
public final class EngineExpertRuntime implements ExpertRuntime {
    private final Model model;
    private final Engine engine;
    private final Semaphore slots;
    private final int slotCount;
    private final long reservedBytes;
    private final Set<Slot> open = ConcurrentHashMap.newKeySet();

    EngineExpertRuntime(Model model, int slotCount, long reservedBytes) {
        this.model = model;
        this.engine = model.newEngine();
        this.slotCount = slotCount;
        this.slots = new Semaphore(slotCount);
        this.reservedBytes = reservedBytes;
    }

    public Model model() {
        return model;
    }

    /** The expert's engine; callers serialize batches on it (one forward pass at a time). */
    public Engine engine() {
        return engine;
    }

    /**
     * A new sequence in one of the expert's slots; close the slot to free its KV cache.
     *
     * @throws ChorusException when every slot is in use
     */
    public Slot openSequence() {
        if (!slots.tryAcquire()) {
            throw new ChorusException("all " + slotCount + " sequence slots of this expert are in use");
        }
        try {
            Slot slot = new Slot(model.newSequence());
            open.add(slot);
            return slot;
        } catch (RuntimeException | Error e) {
            slots.release();
            throw e;
        }
    }

    /** The bytes reserved in the hot budget: KV caches of every slot at full context plus the engine's buffers. */
    @Override
    public long stateBytes() {
        return reservedBytes;
    }

    /** Frees the sequences and buffers; the model stays with the warm expert. */
    @Override
    public void close() {
        open.forEach(Slot::close);
    }

    /** One sequence slot. */
    public final class Slot implements AutoCloseable {
        private final Sequence sequence;

        private Slot(Sequence sequence) {
            this.sequence = sequence;
        }

        public Sequence sequence() {
            return sequence;
        }

        @Override
        public void close() {
            if (open.remove(this)) {
                sequence.close();
                slots.release();
            }
        }
    }
}
