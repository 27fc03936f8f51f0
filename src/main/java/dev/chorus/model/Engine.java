package dev.chorus.model;

import dev.chorus.ChorusException;
import dev.chorus.tensor.ComputePool;

import java.util.List;

/**
 * Runs the transformer over a {@link Batch}. The forward pass below reads like the math of a pre-norm decoder:
 * embed, then per block attention and feed-forward with residual adds, then the output head for the entries that
 * asked for logits. Family differences are small hooks (biases, q/k norms, post-norms, GELU, soft-caps, sliding
 * window) driven by the weights and config present. Buffers are allocated once for the largest batch; not
 * thread-safe (one engine per calling thread).
 */
public final class Engine {
    private final Model model;
    private final ModelConfig cfg;
    private final ModelWeights w;
    private final ComputePool threads;
    private final Rope rope;
    private final int maxBatch;
    private final Activations a;
    private final MatMulTask matmul;
    private final AttentionTask attention;
    private final Logits logits;
    private final int[] previousLength;

    Engine(Model model, int maxBatch) {
        this.model = model;
        this.cfg = model.config();
        this.w = model.weights();
        this.threads = model.threads();
        this.rope = new Rope(cfg, w.ropeFreqs());
        this.maxBatch = maxBatch;
        this.a = new Activations(cfg, maxBatch, rope.pairs() * 2);
        this.matmul = new MatMulTask();
        this.attention = new AttentionTask(cfg, threads.threads());
        this.logits = new Logits(model.vocabSize());
        this.previousLength = new int[maxBatch];
    }

    public Model model() {
        return model;
    }

    /**
     * Feeds every entry of the batch (their keys and values enter their sequences' caches) and returns the logits of
     * the entries that asked for them.
     */
    public Logits forward(Batch batch) {
        int n = batch.size();
        prepare(batch);
        int dim = cfg.embeddingLength();

        for (int b = 0; b < n; b++) {
            w.tokenEmbedding().dequantizeRow(batch.token(b), a.x, b * dim);
            if (cfg.embeddingScale() != 1f) {
                scale(a.x, b * dim, dim, cfg.embeddingScale());
            }
            rope.fill(batch.position(b), a.ropeCs, b * rope.pairs() * 2);
        }

        List<LayerWeights> layers = w.layers();
        for (int l = 0; l < layers.size(); l++) {
            LayerWeights lw = layers.get(l);
            attentionBlock(batch, l, lw);
            feedForwardBlock(n, lw);
        }

        return outputHead(batch);
    }

    private void attentionBlock(Batch batch, int layer, LayerWeights lw) {
        int n = batch.size();
        int dim = cfg.embeddingLength();
        int qw = cfg.queryWidth();
        int kw = cfg.keyWidth();
        int vw = cfg.valueWidth();
        int hd = cfg.headDim();

        rmsNormRows(a.x, lw.attnNorm(), a.xb, n, dim);
        matmul.run(threads, a.xb, n, lw.wq(), a.q, lw.wk(), a.k, lw.wv(), a.v);
        for (int b = 0; b < n; b++) {
            if (lw.bq() != null) {
                VectorMath.add(a.q, b * qw, lw.bq(), 0, qw);
                VectorMath.add(a.k, b * kw, lw.bk(), 0, kw);
                VectorMath.add(a.v, b * vw, lw.bv(), 0, vw);
            }
            if (lw.qNorm() != null) {
                perHeadRmsNorm(a.q, b * qw, cfg.headCount(), lw.qNorm());
                perHeadRmsNorm(a.k, b * kw, cfg.headCountKv(), lw.kNorm());
            }
            int cs = b * rope.pairs() * 2;
            rope.rotate(a.q, b * qw, cfg.headCount(), hd, a.ropeCs, cs);
            rope.rotate(a.k, b * kw, cfg.headCountKv(), hd, a.ropeCs, cs);
            batch.sequence(b).cache.store(layer, batch.position(b), a.k, b * kw, a.v, b * vw);
        }

        attention.run(threads, batch, layer, a.q, a.att);

        matmul.run(threads, a.att, n, lw.wo(), a.xb2);
        if (lw.postAttnNorm() != null) {
            rmsNormRows(a.xb2, lw.postAttnNorm(), a.xb2, n, dim);
        }
        VectorMath.add(a.x, 0, a.xb2, 0, n * dim);
    }

    private void feedForwardBlock(int n, LayerWeights lw) {
        int dim = cfg.embeddingLength();
        int ffn = cfg.feedForwardLength();
        rmsNormRows(a.x, lw.ffnNorm(), a.xb, n, dim);
        matmul.run(threads, a.xb, n, lw.wGate(), a.hb, lw.wUp(), a.hb2);
        boolean gelu = cfg.architecture() == Architecture.GEMMA2;
        int vectorPart = ffn & ~15;
        for (int b = 0; b < n; b++) {
            for (int i = b * ffn, end = i + ffn, vectorEnd = i + vectorPart; i < end; i++) {
                float g = a.hb[i];
                // ggml's SiLU: vector exp for whole 16-lane groups of the row, libm expf for the tail
                float act = gelu ? GeluTable.apply(g) : i < vectorEnd ? GgmlFloat.silu(g) : VectorMath.silu(g);
                a.hb[i] = act * a.hb2[i];
            }
        }
        matmul.run(threads, a.hb, n, lw.wDown(), a.xb2);
        if (lw.postFfnNorm() != null) {
            rmsNormRows(a.xb2, lw.postFfnNorm(), a.xb2, n, dim);
        }
        VectorMath.add(a.x, 0, a.xb2, 0, n * dim);
    }

    private Logits outputHead(Batch batch) {
        int n = batch.size();
        int dim = cfg.embeddingLength();
        int vocab = model.vocabSize();
        int rows = 0;
        for (int b = 0; b < n; b++) {
            if (batch.wantsLogits(b)) {
                VectorMath.rmsNorm(a.x, b * dim, w.outputNorm(), cfg.rmsEps(), a.xb, rows * dim, dim);
                rows++;
            }
        }
        logits.reset(rows);
        if (rows == 0) {
            if (!VectorMath.allFinite(a.x, (n - 1) * dim, dim)) {
                throw nonFinite(batch, n - 1, "hidden state");
            }
            return logits;
        }
        matmul.run(threads, a.xb, rows, w.output(), logits.array());
        float[] out = logits.array();
        int row = 0;
        for (int b = 0; b < n; b++) {
            if (!batch.wantsLogits(b)) {
                continue;
            }
            logits.setEntry(row, b);
            if (cfg.finalSoftcap() > 0) {
                softcapRow(out, row * vocab, vocab, cfg.finalSoftcap());
            }
            if (!VectorMath.allFinite(out, row * vocab, vocab)) {
                throw nonFinite(batch, b, "logits");
            }
            row++;
        }
        return logits;
    }

    /** Validates positions, grows caches and records the new sequence lengths. */
    private void prepare(Batch batch) {
        int n = batch.size();
        if (n == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        if (n > maxBatch) {
            throw new IllegalArgumentException("batch of " + n + " entries exceeds this engine's maximum of " + maxBatch);
        }
        int vocab = model.vocabSize();
        for (int b = 0; b < n; b++) {
            Sequence s = batch.sequence(b);
            if (s.model() != model) {
                throw new IllegalArgumentException("batch entry " + b + " belongs to another model");
            }
            s.checkOpen();
            int pos = batch.position(b);
            int token = batch.token(b);
            if (token < 0 || token >= vocab) {
                throw new ChorusException("token id " + token + " is outside the vocabulary (0.." + (vocab - 1) + ")");
            }
            if (pos >= s.maxLength()) {
                throw new ChorusException("position " + pos + " exceeds the context length of " + s.maxLength()
                        + " tokens");
            }
        }
        // positions must continue each sequence (entries of one sequence in order); undo on a gap
        for (int b = 0; b < n; b++) {
            Sequence s = batch.sequence(b);
            int pos = batch.position(b);
            previousLength[b] = s.length();
            if (pos < 0 || pos > s.length()) {
                for (int u = b - 1; u >= 0; u--) {
                    batch.sequence(u).advanceTo(previousLength[u]);
                }
                throw new IllegalArgumentException("position " + pos + " skips ahead of the sequence length "
                        + s.length());
            }
            s.advanceTo(pos + 1);
        }
        for (int b = 0; b < n; b++) {
            batch.sequence(b).cache.ensureCapacity(batch.position(b) + 1);
        }
        attention.ensureScores(batch);
    }

    private ChorusException nonFinite(Batch batch, int entry, String what) {
        return new ChorusException("NaN/Inf in the " + what + " at position " + batch.position(entry)
                + " (token " + batch.token(entry) + "): the weights or activations overflowed");
    }

    private void rmsNormRows(float[] in, float[] weight, float[] out, int n, int dim) {
        for (int b = 0; b < n; b++) {
            VectorMath.rmsNorm(in, b * dim, weight, cfg.rmsEps(), out, b * dim, dim);
        }
    }

    private void perHeadRmsNorm(float[] v, int offset, int heads, float[] weight) {
        int hd = cfg.headDim();
        for (int h = 0; h < heads; h++) {
            VectorMath.rmsNorm(v, offset + h * hd, weight, cfg.rmsEps(), v, offset + h * hd, hd);
        }
    }

    private static void scale(float[] v, int o, int n, float s) {
        for (int i = 0; i < n; i++) {
            v[o + i] *= s;
        }
    }

    static void softcapRow(float[] v, int o, int n, float cap) {
        float inv = 1f / cap;
        for (int i = 0; i < n; i++) {
            v[o + i] = (float) Math.tanh(v[o + i] * inv) * cap;
        }
    }

    /** Activation buffers for up to maxBatch entries, laid out [entry][width]. */
    private static final class Activations {
        final float[] x;
        final float[] xb;
        final float[] xb2;
        final float[] q;
        final float[] k;
        final float[] v;
        final float[] att;
        final float[] hb;
        final float[] hb2;
        final float[] ropeCs;

        Activations(ModelConfig cfg, int maxBatch, int ropeWidth) {
            int dim = cfg.embeddingLength();
            x = new float[maxBatch * dim];
            xb = new float[maxBatch * Math.max(dim, cfg.headCount() * cfg.valueDim())];
            xb2 = new float[maxBatch * dim];
            q = new float[maxBatch * cfg.queryWidth()];
            k = new float[maxBatch * cfg.keyWidth()];
            v = new float[maxBatch * cfg.valueWidth()];
            att = new float[maxBatch * cfg.headCount() * cfg.valueDim()];
            hb = new float[maxBatch * cfg.feedForwardLength()];
            hb2 = new float[maxBatch * cfg.feedForwardLength()];
            ropeCs = new float[maxBatch * ropeWidth];
        }
    }
}
