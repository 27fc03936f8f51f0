package dev.chorus.cli;

import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the machine's sustainable read bandwidth with the given number of threads: each thread streams its share of
 * a 512 MiB off-heap buffer (far beyond the caches); best of several passes. This is the physical limit for decoding,
 * which reads every weight once per token.
 */
final class MemoryBandwidth {
    private static final long BYTES = 512L << 20;
    private static final VectorSpecies<Long> S = LongVector.SPECIES_PREFERRED;

    private MemoryBandwidth() {
    }

    /** Bytes per second. */
    static double measure(int threads) throws Exception {
        try (Arena arena = Arena.ofShared(); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            MemorySegment buf = arena.allocate(BYTES, 64);
            buf.fill((byte) 1);
            MemorySegment shared = buf.asReadOnly();
            double best = 0;
            for (int pass = 0; pass < 5; pass++) {
                long t0 = System.nanoTime();
                Future<?>[] parts = new Future<?>[threads];
                long sink = 0;
                for (int t = 0; t < threads; t++) {
                    long from = BYTES / threads * t;
                    long to = t == threads - 1 ? BYTES : BYTES / threads * (t + 1);
                    MemorySegment slice = buf.asSlice(from, to - from);
                    parts[t] = pool.submit(() -> sum(slice));
                }
                for (Future<?> f : parts) {
                    sink += (Long) f.get();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (sink == 42) {
                    System.out.print("");
                }
                best = Math.max(best, BYTES / s);
            }
            return best;
        }
    }

    private static long sum(MemorySegment seg) {
        LongVector acc = LongVector.zero(S);
        long step = S.vectorByteSize();
        long end = seg.byteSize() - seg.byteSize() % step;
        for (long o = 0; o < end; o += step) {
            acc = acc.add(LongVector.fromMemorySegment(S, seg, o, ByteOrder.LITTLE_ENDIAN));
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }
}
