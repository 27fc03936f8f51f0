package dev.chorus.memory.bench;

import dev.chorus.gguf.GgufFile;
import dev.chorus.memory.ExpertRuntime;
import dev.chorus.memory.ExpertRuntimeFactory;
import dev.chorus.memory.Residency;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * The engine-less stand-in: a "model load" is opening the GGUF file and touching every page; a "first token" reads
 * every weight once (what one decode step does, minus the arithmetic).
 */
public final class MappedFileWorkload implements SwitchWorkload<MappedFileWorkload.Runtime> {
    @Override
    public String description() {
        return "no engine: load = open GgufFile + touch all pages; first token = one read pass over all weights";
    }

    @Override
    public ExpertRuntimeFactory<Runtime> factory() {
        return new ExpertRuntimeFactory<>() {
            @Override
            public long stateBytes(GgufFile weights) {
                return 0;
            }

            @Override
            public PreparedExpert<Runtime> prepare(GgufFile weights) {
                return () -> new Runtime(weights.mapping());
            }
        };
    }

    @Override
    public void firstToken(Runtime runtime) {
        readAll(runtime.weights);
    }

    @Override
    public NaiveModel openNaive(Path file) throws IOException {
        GgufFile opened = GgufFile.open(file);
        Residency.touch(opened.mapping());
        return new NaiveModel() {
            @Override
            public void firstToken() {
                readAll(opened.mapping());
            }

            @Override
            public void close() {
                opened.close();
            }
        };
    }

    static long readAll(MemorySegment weights) {
        long sum = 0;
        long longs = weights.byteSize() / 8;
        for (long i = 0; i < longs; i++) {
            sum += weights.getAtIndex(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return sum;
    }

    /** The weights' mapping; nothing else is allocated. */
    public record Runtime(MemorySegment weights) implements ExpertRuntime {
        @Override
        public long stateBytes() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
