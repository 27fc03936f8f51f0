package dev.chorus.model.synth;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgmlType;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufMetadata;
import dev.chorus.gguf.GgufValueType;
import dev.chorus.gguf.GgufWriter;
import dev.chorus.model.Architecture;
import dev.chorus.tensor.Quantizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a seeded random-weight GGUF model of a real architecture shape. Weights are drawn like the reference
 * synthetic models in ../shared/models (README "Weights"): Gaussian matrices scaled by gain / sqrt(fan_in), norm weights
 * 1 + N(0, 0.1²), a zero-mean output norm for the tied output (so the model does not just echo its input), qwen2
 * biases N(0, 0.5²), qwen3 q/k norms around 1.5 and 1. Each tensor has its own random stream derived from the seed and
 * its name, so files are byte-reproducible.
 */
public final class SynthModel {
    /** Where the vocabulary comes from: a vocab-only GGUF, or a self-contained byte vocabulary. */
    public sealed interface Vocab permits FromFile, Bytes {
    }

    public record FromFile(Path path) implements Vocab {
    }

    public record Bytes() implements Vocab {
    }

    private final Architecture arch;
    private final SynthShape shape;
    private final GgmlType type;
    private final long seed;

    public SynthModel(Architecture arch, SynthShape shape, GgmlType type, long seed) {
        if (arch == Architecture.GEMMA2) {
            throw new ChorusException("chorus synth writes llama, qwen2 or qwen3 models, not gemma2");
        }
        if (!Quantizer.supports(type)) {
            throw new ChorusException("chorus synth cannot write weight type " + type
                    + " (F32, F16, BF16, Q8_0, Q4_0, Q5_0, Q4_K)");
        }
        this.arch = arch;
        this.shape = shape;
        this.type = type;
        this.seed = seed;
    }

    public void write(Vocab vocab, Path out) throws IOException {
        GgufWriter w = new GgufWriter();
        String a = arch.ggufName();
        SynthShape s = shape;
        w.putString("general.architecture", a);
        w.putString("general.name", "chorus-synth " + a + " " + s.name() + " " + type + " seed " + seed);
        if (vocab instanceof FromFile(Path p)) {
            try (GgufFile v = GgufFile.open(p)) {
                GgufMetadata md = v.metadata();
                for (GgufMetadata.Entry e : md.entries().values()) {
                    if (e.key().startsWith("tokenizer.")) {
                        w.put(e.key(), e.type(), e.value());
                    }
                }
                if (!md.contains("tokenizer.ggml.tokens")) {
                    throw new ChorusException(p + " has no tokenizer.ggml.tokens");
                }
                s = s.withVocab(md.getArray("tokenizer.ggml.tokens").length());
            }
        } else {
            ByteVocab.write(w, s.vocab());
        }
        w.putUInt32(a + ".context_length", s.contextLength());
        w.putUInt32(a + ".embedding_length", s.embedding());
        w.putUInt32(a + ".block_count", s.layers());
        w.putUInt32(a + ".feed_forward_length", s.feedForward());
        w.putUInt32(a + ".attention.head_count", s.heads());
        w.putUInt32(a + ".attention.head_count_kv", s.kvHeads());
        w.putUInt32(a + ".rope.dimension_count", s.headDim());
        w.putFloat32(a + ".rope.freq_base", s.ropeBase());
        w.putFloat32(a + ".attention.layer_norm_rms_epsilon", s.rmsEps());
        w.put("general.file_type", GgufValueType.UINT32, fileType());

        int e = s.embedding();
        int hd = s.headDim();
        int qw = s.heads() * hd;
        int kw = s.kvHeads() * hd;
        float qkGain = arch == Architecture.QWEN3 ? 1f : 1.5f;
        float outGain = switch (arch) {
            case QWEN2 -> 2f;
            case QWEN3 -> 3f;
            default -> 1f;
        };
        matrix(w, "token_embd.weight", s.vocab(), e, 0.3f);
        vector(w, "output_norm.weight", e, 0f, 1f);
        for (int l = 0; l < s.layers(); l++) {
            String b = "blk." + l + ".";
            vector(w, b + "attn_norm.weight", e, 1f, 0.1f);
            matrix(w, b + "attn_q.weight", qw, e, qkGain / (float) Math.sqrt(e));
            matrix(w, b + "attn_k.weight", kw, e, qkGain / (float) Math.sqrt(e));
            matrix(w, b + "attn_v.weight", kw, e, 1f / (float) Math.sqrt(e));
            if (arch == Architecture.QWEN2) {
                vector(w, b + "attn_q.bias", qw, 0f, 0.5f);
                vector(w, b + "attn_k.bias", kw, 0f, 0.5f);
                vector(w, b + "attn_v.bias", kw, 0f, 0.5f);
            }
            if (arch == Architecture.QWEN3) {
                vector(w, b + "attn_q_norm.weight", hd, 1.5f, 0.3f);
                vector(w, b + "attn_k_norm.weight", hd, 1f, 0.3f);
            }
            matrix(w, b + "attn_output.weight", e, qw, outGain / (float) Math.sqrt(qw));
            vector(w, b + "ffn_norm.weight", e, 1f, 0.1f);
            matrix(w, b + "ffn_gate.weight", s.feedForward(), e, 1f / (float) Math.sqrt(e));
            matrix(w, b + "ffn_up.weight", s.feedForward(), e, 1f / (float) Math.sqrt(e));
            matrix(w, b + "ffn_down.weight", e, s.feedForward(), outGain / (float) Math.sqrt(s.feedForward()));
        }
        w.write(out);
    }

    /** llama.cpp's LLAMA_FTYPE for "all tensors of this type". */
    private int fileType() {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case BF16 -> 32;
            case Q4_0 -> 2;
            case Q5_0 -> 8;
            case Q8_0 -> 7;
            case Q4_K -> 15;
            default -> throw new IllegalStateException();
        };
    }

    private SplittableRandom random(String tensor) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ tensor.hashCode());
    }

    /**
     * A weight matrix in the requested type, or in llama-quantize's fallback when its rows are not whole K-quant
     * super-blocks (Q4_K rows of 576 or 896 become Q5_0, as in real Q4_K_M files of these shapes).
     */
    private void matrix(GgufWriter w, String name, int rows, int cols, float std) {
        SplittableRandom r = random(name);
        GgmlType type = Quantizer.typeForRows(this.type, cols);
        long bytes = type.bytesFor((long) rows * cols);
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new ChorusException("tensor " + name + " is too large for chorus synth (" + bytes + " bytes)");
        }
        byte[] data = new byte[(int) bytes];
        int rowBytes = (int) type.bytesFor(cols);
        float[] row = new float[cols];
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                row[c] = (float) (r.nextGaussian() * std);
            }
            System.arraycopy(Quantizer.quantize(type, row), 0, data, i * rowBytes, rowBytes);
        }
        w.addTensor(name, type, new long[] {cols, rows}, data);
    }

    private void vector(GgufWriter w, String name, int n, float mean, float std) {
        SplittableRandom r = random(name);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (mean + r.nextGaussian() * std);
        }
        w.addTensor(name, GgmlType.F32, new long[] {n}, Quantizer.quantize(GgmlType.F32, v));
    }
}
