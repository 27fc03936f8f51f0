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

    /** scores[t - from] = q · K[t][keyOffset ..] for t in [from, to); scratch holds 16 floats. */
    abstract void scores(int layer, int keyOffset, float[] q, int qo, int headDim, int from, int to, float[] scores,
                         float[] scratch);

    /**
     * out[oo ..] = sum over t in [from, to) of p[t - from] * V[t][valueOffset ..]; scratch holds 16 * valueDim
     * floats.
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

        @Override
        void scores(int layer, int keyOffset, float[] q, int qo, int headDim, int from, int to, float[] scores,
                    float[] scratch) {
            short[] k = keys[layer];
            for (int t = from; t < to; t++) {
                int base = t * keyWidth + keyOffset;
                float s = 0;
                for (int i = 0; i < headDim; i++) {
                    s += Float.float16ToFloat(Float.floatToFloat16(q[qo + i])) * Float.float16ToFloat(k[base + i]);
                }
                scores[t - from] = s;
            }
        }

        @Override
        void weightedValues(int layer, int valueOffset, float[] p, int from, int to, int valueDim, float[] out, int oo,
                            float[] scratch) {
            short[] v = values[layer];
            Arrays.fill(out, oo, oo + valueDim, 0f);
            for (int t = from; t < to; t++) {
                float w = Float.float16ToFloat(Float.floatToFloat16(p[t - from]));
                int base = t * valueWidth + valueOffset;
                for (int i = 0; i < valueDim; i++) {
                    out[oo + i] += w * Float.float16ToFloat(v[base + i]);
                }
            }
        }
    }
}
