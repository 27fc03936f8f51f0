package dev.chorus.model;

import java.util.Arrays;

/**
 * Keys and values of one sequence, per layer, laid out [position][kvHeads * headDim]. Storage grows by doubling up
 * to the context limit, so decoding does not allocate per token. The attention loops live here so each element type
 * keeps its own tight inner loop.
 */
abstract sealed class KvCache permits KvCache.F32, KvCache.F16 {
    static final int INITIAL_POSITIONS = 256;

    final int layers;
    final int keyWidth;
    final int valueWidth;
    final int maxPositions;
    int capacity;

    KvCache(int layers, int keyWidth, int valueWidth, int maxPositions) {
        this.layers = layers;
        this.keyWidth = keyWidth;
        this.valueWidth = valueWidth;
        this.maxPositions = maxPositions;
    }

    /** Floats of scratch the attention loops need per thread. */
    static int scratchFloats(ModelConfig cfg) {
        return 17 * Math.max(16, cfg.valueDim()) + 2 * cfg.headDim() + 16;
    }

    static KvCache create(KvType type, ModelConfig cfg, int maxPositions) {
        return switch (type) {
            case F32 -> new F32(cfg.blockCount(), cfg.keyWidth(), cfg.valueWidth(), maxPositions);
            case F16 -> new F16(cfg.blockCount(), cfg.keyWidth(), cfg.valueWidth(), maxPositions);
        };
    }

    /** Makes room for positions [0, positions). */
    final void ensureCapacity(int positions) {
        if (positions <= capacity) {
            return;
        }
        int c = Math.max(capacity, Math.min(INITIAL_POSITIONS, maxPositions));
        while (c < positions) {
            c = (int) Math.min((long) c * 2, maxPositions);
        }
        resize(c);
        capacity = c;
    }

    abstract void resize(int positions);

    abstract void release();

    abstract long bytes();

    /** Stores the key and value of one position of one layer. */
    abstract void store(int layer, int pos, float[] k, int ko, float[] v, int vo);

    /** scores[t - from] = q · K[t][keyOffset ..] for t in [from, to); scratch holds {@link #scratchFloats}. */
    abstract void scores(int layer, int keyOffset, float[] q, int qo, int headDim, int from, int to, float[] scores,
                         float[] scratch);

    /**
     * out[oo ..] = sum over t in [from, to) of p[t - from] * V[t][valueOffset ..]; scratch holds
     * {@link #scratchFloats} (p may be rounded in place).
     */
    abstract void weightedValues(int layer, int valueOffset, float[] p, int from, int to, int valueDim,
                                 float[] out, int oo, float[] scratch);

    static final class F32 extends KvCache {
        private float[][] keys;
        private float[][] values;

        F32(int layers, int keyWidth, int valueWidth, int maxPositions) {
            super(layers, keyWidth, valueWidth, maxPositions);
            keys = new float[layers][0];
            values = new float[layers][0];
        }

        @Override
        void resize(int positions) {
            for (int l = 0; l < layers; l++) {
                keys[l] = Arrays.copyOf(keys[l], positions * keyWidth);
                values[l] = Arrays.copyOf(values[l], positions * valueWidth);
            }
        }

        @Override
        void release() {
            keys = new float[layers][0];
            values = new float[layers][0];
            capacity = 0;
        }

        @Override
        long bytes() {
            return 4L * capacity * (keyWidth + valueWidth) * layers;
        }

        @Override
        void store(int layer, int pos, float[] k, int ko, float[] v, int vo) {
            System.arraycopy(k, ko, keys[layer], pos * keyWidth, keyWidth);
            System.arraycopy(v, vo, values[layer], pos * valueWidth, valueWidth);
        }

        @Override
        void scores(int layer, int keyOffset, float[] q, int qo, int headDim, int from, int to, float[] scores,
                    float[] scratch) {
            float[] k = keys[layer];
            for (int t = from; t < to; t++) {
                scores[t - from] = GgmlFloat.dot(q, qo, k, t * keyWidth + keyOffset, headDim, scratch);
            }
        }

        /**
         * As ggml's llamafile sgemm for (V^T) x p: each output element accumulates 16 lanes, lane t mod 16 taking
         * positions t in order with fused multiply-adds, then the lanes are reduced like _mm512_reduce_add_ps.
         * Vectorized across the value dimension, which keeps each element's own order.
         */
        @Override
        void weightedValues(int layer, int valueOffset, float[] p, int from, int to, int valueDim, float[] out, int oo,
                            float[] lanes) {
            float[] v = values[layer];
            Arrays.fill(lanes, 0, 16 * valueDim, 0f);
            for (int t = from; t < to; t++) {
                VectorMath.fmaInto(p[t - from], v, t * valueWidth + valueOffset, lanes, (t & 15) * valueDim, valueDim);
            }
            VectorMath.reduceLanes16(lanes, valueDim, out, oo);
        }
    }

    /**
     * F16 storage, computed as ggml does with an F16 cache: q is rounded to F16 for q·k and the softmax weights are
     * rounded to F16 before they multiply the values.
     */
    static final class F16 extends KvCache {
        private short[][] keys;
        private short[][] values;

        F16(int layers, int keyWidth, int valueWidth, int maxPositions) {
            super(layers, keyWidth, valueWidth, maxPositions);
            keys = new short[layers][0];
            values = new short[layers][0];
        }

        @Override
        void resize(int positions) {
            for (int l = 0; l < layers; l++) {
                keys[l] = Arrays.copyOf(keys[l], positions * keyWidth);
                values[l] = Arrays.copyOf(values[l], positions * valueWidth);
            }
        }

        @Override
        void release() {
            keys = new short[layers][0];
            values = new short[layers][0];
            capacity = 0;
        }

        @Override
        long bytes() {
            return 2L * capacity * (keyWidth + valueWidth) * layers;
        }

        @Override
        void store(int layer, int pos, float[] k, int ko, float[] v, int vo) {
            short[] kd = keys[layer];
            short[] vd = values[layer];
            for (int i = 0; i < keyWidth; i++) {
                kd[pos * keyWidth + i] = Float.floatToFloat16(k[ko + i]);
            }
            for (int i = 0; i < valueWidth; i++) {
                vd[pos * valueWidth + i] = Float.floatToFloat16(v[vo + i]);
            }
        }

        /** ggml_vec_dot_f16: both sides widened to F32, then the F32 dot's lanes and order (GgmlFloat.dot). */
        @Override
        void scores(int layer, int keyOffset, float[] q, int qo, int headDim, int from, int to, float[] scores,
                    float[] scratch) {
            short[] k = keys[layer];
            int q16 = 16;
            int row = 16 + headDim;
            for (int i = 0; i < headDim; i++) {
                scratch[q16 + i] = Float.float16ToFloat(Float.floatToFloat16(q[qo + i]));
            }
            for (int t = from; t < to; t++) {
                widen(k, t * keyWidth + keyOffset, scratch, row, headDim);
                scores[t - from] = GgmlFloat.dot(scratch, q16, scratch, row, headDim, scratch);
            }
        }

        /** As the F32 cache (llamafile sgemm's lanes), on F16 weights widened per row and p rounded to F16. */
        @Override
        void weightedValues(int layer, int valueOffset, float[] p, int from, int to, int valueDim, float[] out, int oo,
                            float[] lanes) {
            short[] v = values[layer];
            int row = 16 * valueDim;
            Arrays.fill(lanes, 0, row, 0f);
            for (int t = from; t < to; t++) {
                float w = Float.float16ToFloat(Float.floatToFloat16(p[t - from]));
                widen(v, t * valueWidth + valueOffset, lanes, row, valueDim);
                VectorMath.fmaInto(w, lanes, row, lanes, (t & 15) * valueDim, valueDim);
            }
            VectorMath.reduceLanes16(lanes, valueDim, out, oo);
        }

        private static void widen(short[] h, int from, float[] out, int at, int n) {
            for (int i = 0; i < n; i++) {
                out[at + i] = Float.float16ToFloat(h[from + i]);
            }
        }
    }
}
