package dev.chorus.model;

import dev.chorus.tensor.ComputePool;

import java.util.function.IntConsumer;

/**
 * Causal multi-head attention over each entry's own sequence cache, parallel over (entry, head) pairs. Grouped-query:
 * query head h reads kv head h / (heads / kvHeads). Gemma2 scales q before the dot and soft-caps the scores; its even
 * layers see only the last {@code slidingWindow} positions.
 */
final class AttentionTask implements IntConsumer {
    private final ModelConfig cfg;
    private final float[][] scores;
    private final float[][] lanes;
    private final boolean scaleQueryFirst;
    private Batch batch;
    private int layer;
    private float[] q;
    private float[] out;
    private int tasks;
    private int chunksInUse;

    AttentionTask(ModelConfig cfg, int threads) {
        this.cfg = cfg;
        this.scores = new float[threads * 2][KvCache.INITIAL_POSITIONS];
        this.lanes = new float[threads * 2][KvCache.scratchFloats(cfg)];
        this.scaleQueryFirst = cfg.attnSoftcap() > 0;
    }

    void ensureScores(Batch batch) {
        int max = 0;
        for (int b = 0; b < batch.size(); b++) {
            max = Math.max(max, batch.position(b) + 1);
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i].length < max) {
                scores[i] = new float[Math.max(max, scores[i].length * 2)];
            }
        }
    }

    void run(ComputePool pool, Batch batch, int layer, float[] q, float[] out) {
        this.batch = batch;
        this.layer = layer;
        this.q = q;
        this.out = out;
        this.tasks = batch.size() * cfg.headCount();
        long work = 0;
        for (int b = 0; b < batch.size(); b++) {
            work += (long) (batch.position(b) + 1) * cfg.headCount() * (cfg.headDim() + cfg.valueDim());
        }
        if (work < MatMulTask.MIN_PARALLEL_WORK) {
            chunksInUse = 1;
            accept(0);
        } else {
            chunksInUse = Math.min(tasks, scores.length);
            pool.parallelFor(chunksInUse, this);
        }
        this.batch = null;
    }

    /** Chunk c of the (entry, head) pairs; each chunk owns scores[c]. */
    @Override
    public void accept(int chunk) {
        int chunks = chunksInUse;
        int from = (int) ((long) tasks * chunk / chunks);
        int to = (int) ((long) tasks * (chunk + 1) / chunks);
        int heads = cfg.headCount();
        int group = heads / cfg.headCountKv();
        int hd = cfg.headDim();
        int vd = cfg.valueDim();
        float scale = cfg.attentionScale();
        float cap = cfg.attnSoftcap();
        boolean sliding = cfg.isSlidingLayer(layer);
        float[] sc = scores[chunk];
        for (int task = from; task < to; task++) {
            int b = task / heads;
            int h = task % heads;
            int pos = batch.position(b);
            KvCache cache = batch.sequence(b).cache;
            int first = sliding ? Math.max(0, pos - cfg.slidingWindow() + 1) : 0;
            int count = pos + 1 - first;
            int qo = b * cfg.queryWidth() + h * hd;
            int kvHead = h / group;
            if (scaleQueryFirst) {
                for (int i = 0; i < hd; i++) {
                    q[qo + i] *= scale;
                }
            }
            cache.scores(layer, kvHead * hd, q, qo, hd, first, pos + 1, sc, lanes[chunk]);
            if (!scaleQueryFirst) {
                for (int t = 0; t < count; t++) {
                    sc[t] *= scale;
                }
            }
            if (cap > 0) {
                Engine.softcapRow(sc, 0, count, cap);
            }
            softmax(sc, first, pos, lanes[chunk]);
            cache.weightedValues(layer, kvHead * vd, sc, first, pos + 1, vd, out, b * heads * vd + h * vd,
                    lanes[chunk]);
        }
    }

    /**
     * Softmax of sc[0 .. pos-first] (positions first..pos) as ggml computes it over the masked row: exponentials by
     * ggml_v_expf, summed per 16 positions (aligned to position 0) in float, those sums added in double.
     */
    private static void softmax(float[] sc, int first, int pos, float[] chunk) {
        int count = pos + 1 - first;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, sc[i]);
        }
        double sum = 0;
        for (int c0 = first & ~15; c0 <= pos; c0 += 16) {
            for (int l = 0; l < 16; l++) {
                int t = c0 + l;
                if (t >= first && t <= pos) {
                    float e = GgmlFloat.expf(sc[t - first] - max);
                    sc[t - first] = e;
                    chunk[l] = e;
                } else {
                    chunk[l] = 0f;
                }
            }
            sum += GgmlFloat.reduce16(chunk, 0);
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < count; i++) {
            sc[i] *= inv;
        }
    }
}
