package dev.chorus.gguf;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An open GGUF file: its metadata, its tensor infos, and zero-copy views of its tensor data. The whole file is one
 * read-only mapping owned by a shared {@link Arena}; {@link #close()} unmaps it deterministically, after which every
 * segment handed out is invalid (accessing one throws, it never crashes the JVM).
 */
public final class GgufFile implements AutoCloseable {
    private final Path path;
    private final Arena arena;
    private final MemorySegment mapping;
    private final GgufReader.Header header;
    private final Map<String, TensorInfo> tensorsByName;

    private GgufFile(Path path, Arena arena, MemorySegment mapping, GgufReader.Header header) {
        this.path = path;
        this.arena = arena;
        this.mapping = mapping;
        this.header = header;
        Map<String, TensorInfo> byName = new LinkedHashMap<>();
        for (TensorInfo t : header.tensors()) {
            byName.put(t.name(), t);
        }
        this.tensorsByName = byName;
    }

    /**
     * Maps and parses a GGUF file.
     *
     * @throws GgufFormatException when the file is not valid GGUF (message names the problem and byte offset)
     * @throws IOException         when the file cannot be opened or mapped
     */
    public static GgufFile open(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            // Opening a FIFO would block; a directory cannot be mapped.
            throw Files.exists(path) ? new FileSystemException(path.toString(), null, "not a regular file")
                    : new NoSuchFileException(path.toString(), null, "no such file");
        }
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            MemorySegment mapping = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            GgufReader.Header header = GgufReader.parse(mapping);
            return new GgufFile(path, arena, mapping, header);
        } catch (IOException | RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    public Path path() {
        return path;
    }

    public int version() {
        return header.version();
    }

    public GgufMetadata metadata() {
        return header.metadata();
    }

    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    /** The tensor with this name, or null. */
    public TensorInfo tensor(String name) {
        return tensorsByName.get(name);
    }

    public int alignment() {
        return header.alignment();
    }

    /** Absolute file offset of the tensor data section. */
    public long dataOffset() {
        return header.dataOffset();
    }

    public long fileSize() {
        return mapping.byteSize();
    }

    /** The whole mapping (for residency control: advice, locking, page-cache checks). */
    public MemorySegment mapping() {
        return mapping;
    }

    /** A zero-copy, read-only view of one tensor's bytes. */
    public MemorySegment tensorData(TensorInfo tensor) {
        return mapping.asSlice(header.dataOffset() + tensor.offset(), tensor.byteSize()).asReadOnly();
    }

    /** False once closed. */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /** Unmaps the file; idempotent and safe to call from several threads. */
    @Override
    public synchronized void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
