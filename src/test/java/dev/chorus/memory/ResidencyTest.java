package dev.chorus.memory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResidencyTest {
    @TempDir
    Path dir;

    static Path randomFile(Path dir, String name, int bytes) throws IOException {
        byte[] data = new byte[bytes];
        new Random(42).nextBytes(data);
        Path file = dir.resolve(name);
        Files.write(file, data);
        return file;
    }

    @Test
    void pageSizeAndMemlockLimitComeFromLibc() {
        assertThat(Residency.pageSize()).isPositive();
        assertThat(Long.bitCount(Residency.pageSize())).isEqualTo(1);
        long limit = Residency.memlockLimit();
        assertThat(limit == -1 || limit >= 0).isTrue();
    }

    @Test
    void dontNeedDropsAFilesPagesFromThePageCacheAndReadingBringsThemBack() throws IOException {
        Path file = randomFile(dir, "weights.bin", 4 << 20);
        Files.readAllBytes(file);
        assertThat(Residency.residentFraction(file)).isGreaterThan(0.99);

        double after = Residency.dropFromPageCache(file);
        assertThat(after).isLessThan(0.01);
        assertThat(Residency.residentFraction(file)).isLessThan(0.01);

        Residency.adviseFile(file, Residency.FileAdvice.WILLNEED);
        Files.readAllBytes(file);
        assertThat(Residency.residentFraction(file)).isGreaterThan(0.99);
    }

    @Test
    void aMappedFileStaysCachedUntilUnmapped() throws IOException {
        Path file = randomFile(dir, "mapped.bin", 2 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ); Arena arena = Arena.ofShared()) {
            MemorySegment mapping = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            Residency.populate(mapping);
            assertThat(Residency.residentPages(mapping)).isEqualTo(ch.size() / Residency.pageSize());
            Residency.lock(mapping);
            Residency.adviseFile(file, Residency.FileAdvice.DONTNEED);
            assertThat(Residency.residentFraction(file)).as("locked pages survive DONTNEED").isGreaterThan(0.99);
            Residency.unlock(mapping);
        }
        assertThat(Residency.dropFromPageCache(file)).as("after unmapping the pages can go").isLessThan(0.01);
    }

    @Test
    void failuresBecomeClearExceptions() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment heapless = arena.allocate(Residency.pageSize() * 2, Residency.pageSize());
            assertThatThrownBy(() -> Libc.madvise(heapless, 9999))
                    .isInstanceOf(NativeCallException.class)
                    .hasMessageContaining("madvise failed: EINVAL")
                    .hasMessageContaining("Invalid argument");
        }
        assertThatThrownBy(() -> Residency.adviseFile(dir.resolve("missing.gguf"), Residency.FileAdvice.WILLNEED))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Libc.open(dir.resolve("nope").toString()))
                .isInstanceOf(NativeCallException.class).hasMessageContaining("ENOENT");
    }
}
