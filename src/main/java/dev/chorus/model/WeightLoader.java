package dev.chorus.model;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.TensorInfo;
import dev.chorus.tensor.WeightMatrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Binds the tensors of a GGUF file to {@link ModelWeights}, checking every name, shape and type. */
final class WeightLoader {
    private final GgufFile file;
    private final ModelConfig cfg;

    private WeightLoader(GgufFile file, ModelConfig cfg) {
        this.file = file;
        this.cfg = cfg;
    }

    static ModelWeights load(GgufFile file, ModelConfig cfg) {
        return new WeightLoader(file, cfg).load();
    }

    private ModelWeights load() {
        int embd = cfg.embeddingLength();
        TensorInfo embInfo = require("token_embd.weight");
        if (embInfo.rank() != 2 || embInfo.dim(0) != embd) {
            throw shape(embInfo, "[" + embd + ", n_vocab]");
        }
        int vocab = Math.toIntExact(embInfo.dim(1));
        WeightMatrix tokenEmbedding = matrix("token_embd.weight", vocab, embd);
        WeightMatrix output = file.tensor("output.weight") != null ? matrix("output.weight", vocab, embd) : tokenEmbedding;
        List<LayerWeights> layers = new ArrayList<>();
        for (int i = 0; i < cfg.blockCount(); i++) {
            layers.add(layer(i));
        }
        float[] ropeFreqs = file.tensor("rope_freqs.weight") != null
                ? vector("rope_freqs.weight", cfg.ropeDims() / 2) : null;
        return new ModelWeights(tokenEmbedding, List.copyOf(layers), vector("output_norm.weight", embd), output, ropeFreqs);
    }

    private LayerWeights layer(int i) {
        String b = "blk." + i + ".";
        int embd = cfg.embeddingLength();
        int qw = cfg.queryWidth();
        int kw = cfg.keyWidth();
        int vw = cfg.valueWidth();
        int ffn = cfg.feedForwardLength();
        boolean gemma = cfg.architecture() == Architecture.GEMMA2;
        return new LayerWeights(
                vector(b + "attn_norm.weight", embd),
                matrix(b + "attn_q.weight", qw, embd),
                matrix(b + "attn_k.weight", kw, embd),
                matrix(b + "attn_v.weight", vw, embd),
                matrix(b + "attn_output.weight", embd, cfg.headCount() * cfg.valueDim()),
                optionalVector(b + "attn_q.bias", qw),
                optionalVector(b + "attn_k.bias", kw),
                optionalVector(b + "attn_v.bias", vw),
                cfg.architecture() == Architecture.QWEN3 ? vector(b + "attn_q_norm.weight", cfg.headDim()) : null,
                cfg.architecture() == Architecture.QWEN3 ? vector(b + "attn_k_norm.weight", cfg.headDim()) : null,
                gemma ? vector(b + "post_attention_norm.weight", embd) : null,
                vector(b + "ffn_norm.weight", embd),
                matrix(b + "ffn_gate.weight", ffn, embd),
                matrix(b + "ffn_up.weight", ffn, embd),
                matrix(b + "ffn_down.weight", embd, ffn),
                gemma ? vector(b + "post_ffw_norm.weight", embd) : null);
    }

    private TensorInfo require(String name) {
        TensorInfo t = file.tensor(name);
        if (t == null) {
            throw new ChorusException("tensor '" + name + "' is missing from " + file.path().getFileName());
        }
        return t;
    }

    private static ChorusException shape(TensorInfo t, String expected) {
        return new ChorusException("tensor '" + t.name() + "' has shape " + java.util.Arrays.toString(t.dims())
                + ", expected " + expected);
    }

    private WeightMatrix matrix(String name, int rows, int cols) {
        TensorInfo t = require(name);
        if (t.rank() != 2 || t.dim(0) != cols || t.dim(1) != rows) {
            throw shape(t, "[" + cols + ", " + rows + "]");
        }
        if (!t.type().computable()) {
            throw new ChorusException("tensor '" + name + "' has weight type " + t.type() + ", which Chorus cannot compute with");
        }
        return WeightMatrix.of(t.type(), file.tensorData(t), rows, cols);
    }

    private float[] optionalVector(String name, int length) {
        return file.tensor(name) == null ? null : vector(name, length);
    }

    private float[] vector(String name, int length) {
        TensorInfo t = require(name);
        if (t.elementCount() != length || (t.rank() != 1 && !(t.rank() == 2 && t.dim(1) == 1))) {
            throw shape(t, "[" + length + "]");
        }
        MemorySegment seg = file.tensorData(t);
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = switch (t.type()) {
                case F32 -> seg.getAtIndex(ValueLayout.JAVA_FLOAT_UNALIGNED, i);
                case F16 -> Float.float16ToFloat(seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i));
                case BF16 -> Float.intBitsToFloat(seg.getAtIndex(ValueLayout.JAVA_SHORT_UNALIGNED, i) << 16);
                default -> throw new ChorusException("tensor '" + name + "' has type " + t.type()
                        + "; 1-D tensors must be F32, F16 or BF16");
            };
        }
        return v;
    }
}
