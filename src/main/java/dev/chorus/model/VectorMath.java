package dev.chorus.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The small float kernels of the forward pass besides the matmuls (norms, dots, softmax, activations). */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        int i = 0;
        FloatVector acc = FloatVector.zero(S);
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            acc = FloatVector.fromArray(S, a, ao + i).fma(FloatVector.fromArray(S, b, bo + i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[ao + i] * b[bo + i];
        }
        return s;
    }

    /** y[yo..] += a * x[xo..]. */
    static void axpy(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, a);
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += a * x[xo + i];
        }
    }

    /** out = x / rms(x) * w, as ggml: the mean square is summed in double. */
    static void rmsNorm(float[] x, int xo, float[] w, float eps, float[] out, int oo, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float v = x[xo + i];
            sum += v * v;
        }
        float scale = 1.0f / (float) Math.sqrt((float) (sum / n) + eps);
        for (int i = 0; i < n; i++) {
            out[oo + i] = (x[xo + i] * scale) * w[i];
        }
    }

    /** In-place softmax of v[o .. o+n), max-shifted, normalizer summed in double like ggml. */
    static void softmax(float[] v, int o, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, v[o + i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(v[o + i] - max);
            v[o + i] = e;
            sum += e;
        }
        float inv = (float) (1.0 / sum);
        for (int i = 0; i < n; i++) {
            v[o + i] *= inv;
        }
    }

    static void add(float[] y, int yo, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += x[xo + i];
        }
    }

    static float silu(float x) {
        return x / (1.0f + (float) Math.exp(-x));
    }

    static float softcap(float x, float cap) {
        return (float) Math.tanh(x / cap) * cap;
    }

    /** True when every value of v[o .. o+n) is finite. */
    static boolean allFinite(float[] v, int o, int n) {
        float acc = 0;
        for (int i = 0; i < n; i++) {
            acc += v[o + i] * 0f;
        }
        return acc == 0f;
    }
}
