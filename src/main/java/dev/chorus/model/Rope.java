package dev.chorus.model;

/**
 * Rotary position embedding as ggml computes it: theta_i = pos * base^(-2i/d) * freqScale / freqFactor[i], with the
 * per-frequency power accumulated in float like ggml's cache. NORM rotates adjacent pairs, NEOX pairs half a head apart.
 */
final class Rope {
    private final Architecture.RopeMode mode;
    private final int dims;
    private final float thetaScale;
    private final float freqScale;
    private final float[] freqFactors;

    Rope(ModelConfig cfg, float[] freqFactors) {
        this.mode = cfg.architecture().ropeMode();
        this.dims = cfg.ropeDims();
        this.thetaScale = (float) Math.pow(cfg.ropeFreqBase(), -2.0f / dims);
        this.freqScale = cfg.ropeFreqScale();
        this.freqFactors = freqFactors;
    }

    /** Number of (cos, sin) pairs per position. */
    int pairs() {
        return dims / 2;
    }

    /** Writes cos/sin of every rotary frequency for {@code pos} to cs[o .. o + dims): cos at even, sin at odd. */
    void fill(int pos, float[] cs, int o) {
        float theta = pos;
        for (int i = 0; i < dims / 2; i++) {
            float ff = freqFactors == null ? 1f : freqFactors[i];
            float t = freqScale * (theta / ff);
            cs[o + 2 * i] = (float) Math.cos(t);
            cs[o + 2 * i + 1] = (float) Math.sin(t);
            theta *= thetaScale;
        }
    }

    /** Rotates {@code heads} heads of width {@code headDim} at v[o ..] with the cos/sin table cs[co ..]. */
    void rotate(float[] v, int o, int heads, int headDim, float[] cs, int co) {
        for (int h = 0; h < heads; h++) {
            int base = o + h * headDim;
            if (mode == Architecture.RopeMode.NORM) {
                for (int i = 0; i < dims; i += 2) {
                    rotatePair(v, base + i, base + i + 1, cs[co + i], cs[co + i + 1]);
                }
            } else {
                int half = dims / 2;
                for (int i = 0; i < half; i++) {
                    rotatePair(v, base + i, base + i + half, cs[co + 2 * i], cs[co + 2 * i + 1]);
                }
            }
        }
    }

    private static void rotatePair(float[] v, int i0, int i1, float cos, float sin) {
        float x0 = v[i0];
        float x1 = v[i1];
        v[i0] = x0 * cos - x1 * sin;
        v[i1] = x0 * sin + x1 * cos;
    }
}
