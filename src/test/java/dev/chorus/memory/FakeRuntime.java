package dev.chorus.memory;

import dev.chorus.gguf.GgufFile;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

/** A runtime that really allocates its declared state off-heap, so tests see real bytes and can count leaks. */
final class FakeRuntime implements ExpertRuntime {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state;
    private final Factory factory;
    private volatile boolean closed;

    private FakeRuntime(Factory factory, long bytes) {
        this.factory = factory;
        this.state = arena.allocate(Math.max(1, bytes));
        factory.live.incrementAndGet();
    }

    @Override
    public long stateBytes() {
        return state.byteSize();
    }

    /** Stands in for a forward pass: fails if the store freed this runtime while a lease still held it. */
    void use() {
        if (closed) {
            throw new AssertionError("runtime used after the store closed it");
        }
        state.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1);
    }

    @Override
    public void close() {
        if (closed) {
            throw new AssertionError("runtime closed twice");
        }
        closed = true;
        arena.close();
        factory.live.decrementAndGet();
    }

    /** Reads the state size from the file's metadata; counts creations and live runtimes. */
    static class Factory implements ExpertRuntimeFactory<FakeRuntime> {
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger live = new AtomicInteger();
        /** Prepared (warm or hot) experts not yet closed. */
        final AtomicInteger prepared = new AtomicInteger();

        @Override
        public long stateBytes(GgufFile weights) {
            return weights.metadata().getLong(TinyGguf.STATE_KEY);
        }

        @Override
        public PreparedExpert<FakeRuntime> prepare(GgufFile weights) {
            long bytes = stateBytes(weights);
            prepared.incrementAndGet();
            return new PreparedExpert<>() {
                @Override
                public FakeRuntime start() throws IOException {
                    beforeCreate(weights);
                    created.incrementAndGet();
                    return new FakeRuntime(Factory.this, bytes);
                }

                @Override
                public void close() {
                    prepared.decrementAndGet();
                }
            };
        }

        /** Tests override to block or fail. */
        void beforeCreate(GgufFile weights) throws IOException {
        }
    }
}
