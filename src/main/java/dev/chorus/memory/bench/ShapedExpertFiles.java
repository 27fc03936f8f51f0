package dev.chorus.memory.bench;

import dev.chorus.gguf.GgmlType;
import dev.chorus.gguf.GgufWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * Writes random-weight llama models of a real shape in Q8_0 for the switch benchmark: what matters there is the
 * bytes and tensor layout the engine maps and reads, not what the weights say. (The engine's {@code chorus synth}
 * makes the same shapes with properly quantized weights; these files only need to be loadable and the right size.)
 */
final class ShapedExpertFiles {
    /** A llama-family shape; vocabulary and dimensions as in the published configs. */
    record Shape(String name, int dim, int blocks, int heads, int kvHeads, int ffn, int vocab, int context) {
    }

    static final Shape SMOLLM2_135M = new Shape("smollm2-135m", 576, 30, 9, 3, 1536, 49152, 8192);
    static final Shape TINY = new Shape("tiny", 64, 2, 4, 2, 128, 512, 256);

    private ShapedExpertFiles() {
    }

    static Shape shape(String name) {
        return switch (name) {
            case "smollm2-135m" -> SMOLLM2_135M;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("unknown shape '" + name + "' (expected smollm2-135m or tiny)");
        };
    }

    static Path write(Path file, Shape s, long seed) throws IOException {
        Random random = new Random(seed);
        int headDim = s.dim() / s.heads();
        int kvWidth = s.kvHeads() * headDim;
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "llama");
        w.putString("general.name", "chorus-bench-" + s.name());
        w.putUInt32("llama.embedding_length", s.dim());
        w.putUInt32("llama.block_count", s.blocks());
        w.putUInt32("llama.attention.head_count", s.heads());
        w.putUInt32("llama.attention.head_count_kv", s.kvHeads());
        w.putUInt32("llama.feed_forward_length", s.ffn());
        w.putUInt32("llama.context_length", s.context());
        w.putFloat32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
        w.putFloat32("llama.rope.freq_base", 100000f);
        w.addTensor("token_embd.weight", GgmlType.Q8_0, new long[] {s.dim(), s.vocab()},
                q8_0((long) s.dim() * s.vocab(), random));
        w.addTensor("output_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
        for (int l = 0; l < s.blocks(); l++) {
            String p = "blk." + l + ".";
            w.addTensor(p + "attn_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
            w.addTensor(p + "attn_q.weight", GgmlType.Q8_0, new long[] {s.dim(), s.dim()},
                    q8_0((long) s.dim() * s.dim(), random));
            w.addTensor(p + "attn_k.weight", GgmlType.Q8_0, new long[] {s.dim(), kvWidth},
                    q8_0((long) s.dim() * kvWidth, random));
            w.addTensor(p + "attn_v.weight", GgmlType.Q8_0, new long[] {s.dim(), kvWidth},
                    q8_0((long) s.dim() * kvWidth, random));
            w.addTensor(p + "attn_output.weight", GgmlType.Q8_0, new long[] {s.dim(), s.dim()},
                    q8_0((long) s.dim() * s.dim(), random));
            w.addTensor(p + "ffn_norm.weight", GgmlType.F32, new long[] {s.dim()}, ones(s.dim()));
            w.addTensor(p + "ffn_gate.weight", GgmlType.Q8_0, new long[] {s.dim(), s.ffn()},
                    q8_0((long) s.dim() * s.ffn(), random));
            w.addTensor(p + "ffn_up.weight", GgmlType.Q8_0, new long[] {s.dim(), s.ffn()},
                    q8_0((long) s.dim() * s.ffn(), random));
            w.addTensor(p + "ffn_down.weight", GgmlType.Q8_0, new long[] {s.ffn(), s.dim()},
                    q8_0((long) s.ffn() * s.dim(), random));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            w.write(out);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true); // clean pages: the benchmark must be able to drop them
        }
        return file;
    }

    /** Q8_0 blocks: an f16 scale of about 0.01 and 32 random int8 values. */
    private static byte[] q8_0(long elements, Random random) {
        int blocks = Math.toIntExact(elements / 32);
        byte[] bytes = new byte[blocks * 34];
        random.nextBytes(bytes);
        for (int i = 0; i < blocks; i++) {
            bytes[i * 34] = 0x1F; // 0x211F = 0.0100 in IEEE half precision, little-endian
            bytes[i * 34 + 1] = 0x21;
        }
        return bytes;
    }

    private static byte[] ones(int n) {
        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(1f);
        }
        return b.array();
    }
}
