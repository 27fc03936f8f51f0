package dev.chorus.memory;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Page residency control over mapped memory and files, through libc via FFM: advice (madvise, posix_fadvise),
 * locking (mlock), and the page-cache check (mincore). Regions are widened to whole pages, as the kernel requires.
 */
public final class Residency {
    private static final long PAGE_SIZE = Libc.pageSize();

    private Residency() {
    }

    public static long pageSize() {
        return PAGE_SIZE;
    }

    /** The soft RLIMIT_MEMLOCK in bytes, or -1 when unlimited. */
    public static long memlockLimit() {
        return Libc.memlockLimit();
    }

    /** Asks the kernel to read the region ahead (MADV_WILLNEED); returns at once. */
    public static void willNeed(MemorySegment mapped) {
        Libc.madvise(pageAligned(mapped), Libc.MADV_WILLNEED);
    }

    /** Hints sequential access so read-ahead is aggressive (MADV_SEQUENTIAL). */
    public static void sequential(MemorySegment mapped) {
        Libc.madvise(pageAligned(mapped), Libc.MADV_SEQUENTIAL);
    }

    /**
     * Fills the page tables for the region from the page cache (MADV_POPULATE_READ, Linux 5.14+), reading from disk
     * what is missing; falls back to touching one byte per page on older kernels.
     */
    public static void populate(MemorySegment mapped) {
        MemorySegment region = pageAligned(mapped);
        try {
            Libc.madvise(region, Libc.MADV_POPULATE_READ);
        } catch (NativeCallException e) {
            if (e.errno() != Errno.EINVAL) {
                throw e;
            }
            touch(mapped);
        }
    }

    /** Reads one byte per page so every page is faulted in; returns a checksum so the reads cannot be elided. */
    public static long touch(MemorySegment mapped) {
        long sum = 0;
        for (long off = 0; off < mapped.byteSize(); off += PAGE_SIZE) {
            sum += mapped.get(ValueLayout.JAVA_BYTE, off);
        }
        return sum;
    }

    /** mlock: the region's pages are faulted in and kept in RAM. Throws with ENOMEM/EPERM over RLIMIT_MEMLOCK. */
    public static void lock(MemorySegment mapped) {
        Libc.mlock(pageAligned(mapped));
    }

    public static void unlock(MemorySegment mapped) {
        Libc.munlock(pageAligned(mapped));
    }

    /** Drops this process's page-table entries for the region (MADV_DONTNEED); file pages stay in the page cache. */
    public static void dontNeed(MemorySegment mapped) {
        Libc.madvise(pageAligned(mapped), Libc.MADV_DONTNEED);
    }

    /** Number of the region's pages present in memory (mincore). */
    public static long residentPages(MemorySegment mapped) {
        MemorySegment region = pageAligned(mapped);
        long pages = region.byteSize() / PAGE_SIZE;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vector = arena.allocate(Math.max(1, pages));
            Libc.mincore(region, vector);
            long resident = 0;
            for (long i = 0; i < pages; i++) {
                resident += vector.get(ValueLayout.JAVA_BYTE, i) & 1;
            }
            return resident;
        }
    }

    /** True when every page of the mapped region is in memory (mincore). */
    public static boolean isFullyResident(MemorySegment mapped) {
        MemorySegment region = pageAligned(mapped);
        return residentPages(mapped) == region.byteSize() / PAGE_SIZE;
    }

    /** Fraction (0..1) of a file's pages that are in the page cache, measured by mincore on a fresh mapping. */
    public static double residentFraction(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofConfined()) {
            long size = channel.size();
            if (size == 0) {
                return 1.0;
            }
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
            long pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
            return (double) residentPages(mapping) / pages;
        }
    }

    /** posix_fadvise over the whole file (opened and closed here through libc). */
    public static void adviseFile(Path file, FileAdvice advice) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        int fd = Libc.open(file.toString());
        try {
            if (advice == FileAdvice.DONTNEED) {
                Libc.fdatasync(fd); // DONTNEED skips dirty pages: a freshly written file must reach the disk first
            }
            Libc.posixFadvise(fd, 0, 0, advice.code);
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * Drops a file's clean pages from the page cache (POSIX_FADV_DONTNEED). Pages still mapped by any process stay:
     * unmap first. Returns the fraction of pages still resident afterwards, measured with mincore.
     */
    public static double dropFromPageCache(Path file) throws IOException {
        adviseFile(file, FileAdvice.DONTNEED);
        return residentFraction(file);
    }

    static MemorySegment pageAligned(MemorySegment segment) {
        long start = segment.address() & -PAGE_SIZE;
        long end = segment.address() + segment.byteSize();
        long alignedEnd = (end + PAGE_SIZE - 1) & -PAGE_SIZE;
        return MemorySegment.ofAddress(start).reinterpret(alignedEnd - start);
    }

    /** The posix_fadvise advice values Chorus uses. */
    public enum FileAdvice {
        SEQUENTIAL(Libc.POSIX_FADV_SEQUENTIAL), WILLNEED(Libc.POSIX_FADV_WILLNEED), DONTNEED(Libc.POSIX_FADV_DONTNEED);

        private final int code;

        FileAdvice(int code) {
            this.code = code;
        }
    }
}
