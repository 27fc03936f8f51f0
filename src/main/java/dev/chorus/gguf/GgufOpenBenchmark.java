package dev.chorus.gguf;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * Time to open a GGUF file with a 128k-entry vocabulary (mostly metadata: tokens, scores or types, merges), against
 * two baselines measured in the same run: mapping the file and reading its bytes once, and copying it to the heap.
 * Run: {@code java -cp target/chorus.jar org.openjdk.jmh.Main GgufOpenBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class GgufOpenBenchmark {
    @Param("../shared/vocab/ggml-vocab-llama-bpe.gguf")
    public String file;

    @Benchmark
    public int openAndParse() throws IOException {
        try (GgufFile f = GgufFile.open(Path.of(file))) {
            return f.metadata().keys().size();
        }
    }

    /** Baseline: map the file and touch every 4 KiB page, parsing nothing. */
    @Benchmark
    public long mapAndTouch() throws IOException {
        try (Arena arena = Arena.ofShared();
             FileChannel ch = FileChannel.open(Path.of(file), StandardOpenOption.READ)) {
            MemorySegment m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
            long sum = 0;
            for (long at = 0; at < m.byteSize(); at += 4096) {
                sum += m.get(ValueLayout.JAVA_BYTE, at);
            }
            return sum;
        }
    }

    /** The parser alone on a heap copy (no mapping, no shared-arena close). */
    @Benchmark
    public int parseFromHeapCopy() throws IOException {
        return GgufReader.parse(MemorySegment.ofArray(Files.readAllBytes(Path.of(file)))).metadata().keys().size();
    }

    /** Baseline: copy the whole file into a byte[]. */
    @Benchmark
    public int readAllBytes() throws IOException {
        return Files.readAllBytes(Path.of(file)).length;
    }
}
