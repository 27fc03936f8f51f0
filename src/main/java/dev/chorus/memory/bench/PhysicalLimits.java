package dev.chorus.memory.bench;

import dev.chorus.ChorusException;
import dev.chorus.memory.Residency;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/** Measures what the hardware allows: sequential disk reads from a dropped page cache, and memory copy bandwidth. */
final class PhysicalLimits {
    private static final int READ_CHUNK = 8 << 20;

    private PhysicalLimits() {
    }

    /**
     * Drops each file's pages (verified with mincore), then reads them all sequentially the fastest plain way we know
     * (POSIX_FADV_SEQUENTIAL + WILLNEED for deep read-ahead, 8 MiB reads into one buffer); returns GB/s (1e9 B/s).
     */
    static double diskReadGbPerSecond(List<Path> files) throws IOException {
        for (Path f : files) {
            requireDropped(f);
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect(READ_CHUNK);
        long bytes = 0;
        long start = System.nanoTime();
        for (Path f : files) {
            Residency.adviseFile(f, Residency.FileAdvice.SEQUENTIAL);
            Residency.adviseFile(f, Residency.FileAdvice.WILLNEED);
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
                int n;
                while ((n = ch.read(buffer.clear())) > 0) {
                    bytes += n;
                }
            }
        }
        return bytes / ((System.nanoTime() - start) / 1e9) / 1e9;
    }

    /**
     * The disk's sequential read bandwidth for one file: the better of plain advised reads ({@link
     * #diskReadGbPerSecond}) and reading through a mapping with MADV_POPULATE_READ, each from a dropped cache.
     */
    static double bestDiskReadGbPerSecond(Path file) throws IOException {
        double viaRead = diskReadGbPerSecond(List.of(file));
        requireDropped(file);
        long start = System.nanoTime();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Residency.sequential(mapping);
            Residency.willNeed(mapping);
            Residency.populate(mapping);
            double viaMapping = ch.size() / ((System.nanoTime() - start) / 1e9) / 1e9;
            return Math.max(viaRead, viaMapping);
        }
    }

    /** Best of several copies of a buffer of {@code bytes} between two off-heap segments; GB/s copied. */
    static double memoryCopyGbPerSecond(long bytes, int repetitions) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocate(bytes, 4096);
            MemorySegment dst = arena.allocate(bytes, 4096);
            src.fill((byte) 1);
            dst.fill((byte) 0);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < repetitions; i++) {
                long start = System.nanoTime();
                MemorySegment.copy(src, 0, dst, 0, bytes);
                best = Math.min(best, System.nanoTime() - start);
            }
            return bytes / (best / 1e9) / 1e9;
        }
    }

    /** The alternative warm tier: read the whole (dropped) file into an off-heap copy. Returns milliseconds. */
    static double offHeapCopyMillis(Path file) throws IOException {
        requireDropped(file);
        long start = System.nanoTime();
        Residency.adviseFile(file, Residency.FileAdvice.SEQUENTIAL); // same read-ahead help as the page-cache path
        Residency.adviseFile(file, Residency.FileAdvice.WILLNEED);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            MemorySegment copy = arena.allocate(ch.size(), 4096);
            long pos = 0;
            while (pos < ch.size()) {
                ByteBuffer window = copy.asSlice(pos, Math.min(READ_CHUNK, ch.size() - pos)).asByteBuffer();
                while (window.hasRemaining()) {
                    int n = ch.read(window, pos + window.position());
                    if (n < 0) {
                        break;
                    }
                }
                pos += window.limit();
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }

    /** Drops the file's pages and checks with mincore that (almost) none remain; returns the resident fraction. */
    static double requireDropped(Path file) throws IOException {
        double left = Residency.dropFromPageCache(file);
        if (left > 0.01) {
            throw new ChorusException("could not drop " + file + " from the page cache (" + Math.round(left * 100)
                    + "% still resident; is it mapped by another process?)");
        }
        return left;
    }
}
