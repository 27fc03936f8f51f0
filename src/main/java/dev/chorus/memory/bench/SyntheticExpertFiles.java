package dev.chorus.memory.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Writes a valid GGUF v3 file of a given size holding one I8 tensor of pseudo-random bytes: the stand-in for a
 * synthetic expert when the engine's {@code chorus synth} is not available. Synced, so its cached pages are clean.
 */
final class SyntheticExpertFiles {
    /** Size of SmolLM2-135M quantized to Q8_0 (134.5 M parameters x 34/32 bytes, plus the tokenizer metadata). */
    static final long SMOLLM2_135M_Q8_0_BYTES = 144_811_200L;
    private static final int GGML_I8 = 24;

    private SyntheticExpertFiles() {
    }

    static Path write(Path file, long totalBytes, long seed) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0x46554747).putInt(3).putLong(1).putLong(0);
        byte[] name = "weights".getBytes(StandardCharsets.UTF_8);
        head.putLong(name.length).put(name);
        long tensorBytes = Math.max(32, totalBytes - 64);
        head.putInt(1).putLong(tensorBytes).putInt(GGML_I8).putLong(0);
        while (head.position() % 32 != 0) {
            head.put((byte) 0);
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(head);
            ByteBuffer chunk = ByteBuffer.allocateDirect(4 << 20);
            byte[] random = new byte[chunk.capacity()];
            new Random(seed).nextBytes(random);
            chunk.put(random);
            for (long left = tensorBytes; left > 0; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                left -= ch.write(chunk);
            }
            ch.force(true);
        }
        return file;
    }
}
