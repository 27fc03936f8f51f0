package dev.chorus.memory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Writes minimal valid GGUF v3 files for tier tests: one I8 tensor of random bytes and a {@code test.state_bytes}
 * key the fake runtime factory reads. The file is synced so its page-cache pages are clean (droppable).
 */
final class TinyGguf {
    static final String STATE_KEY = "test.state_bytes";
    private static final int GGUF_UINT64 = 10;
    private static final int GGML_I8 = 24;

    private TinyGguf() {
    }

    static Path write(Path file, long tensorBytes, long stateBytes) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(0x46554747).putInt(3).putLong(1).putLong(1);
        putString(head, STATE_KEY);
        head.putInt(GGUF_UINT64).putLong(stateBytes);
        putString(head, "weights");
        head.putInt(1).putLong(tensorBytes).putInt(GGML_I8).putLong(0);
        while (head.position() % 32 != 0) {
            head.put((byte) 0);
        }
        head.flip();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(head);
            byte[] chunk = new byte[1 << 20];
            Random random = new Random(tensorBytes);
            for (long left = tensorBytes; left > 0; left -= chunk.length) {
                random.nextBytes(chunk);
                ch.write(ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, left)));
            }
            ch.force(true);
        }
        return file;
    }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(bytes.length).put(bytes);
    }

}
