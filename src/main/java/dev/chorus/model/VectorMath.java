package dev.chorus.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** The small float kernels of the forward pass besides the matmuls (norms, dots, softmax, activations). */
final class VectorMath {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private VectorMath() {
    }

    /** y[yo + i] = fma(x[xo + i], a, y[yo + i]): per element exactly one fused multiply-add. */
    static void fmaInto(float a, float[] x, int xo, float[] y, int yo, int n) {
        int i = 0;
        FloatVector va = FloatVector.broadcast(S, a);
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector.fromArray(S, x, xo + i).fma(va, FloatVector.fromArray(S, y, yo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = Math.fma(x[xo + i], a, y[yo + i]);
        }
    }

    /**
     * out[oo + i] = the _mm512_reduce_add_ps order sum of lanes[l * n + i] over l in [0, 16), for i in [0, n).
     * The lanes array is used as scratch.
     */
    static void reduceLanes16(float[] lanes, int n, float[] out, int oo) {
        for (int half = 8; half >= 2; half /= 2) {
            for (int l = 0; l < half; l++) {
                addInto(lanes, l * n, lanes, (l + half) * n, n);
            }
        }
        // final step: (t0 + t2) + (t1 + t3) happened as u0 = t0+t2 (half 2), then u0 + u1
        for (int i = 0; i < n; i++) {
            out[oo + i] = lanes[i] + lanes[n + i];
        }
    }

    private static void addInto(float[] y, int yo, float[] x, int xo, int n) {
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += S.length()) {
            FloatVector.fromArray(S, y, yo + i).add(FloatVector.fromArray(S, x, xo + i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] += x[xo + i];
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

    static void add(float[] y, int yo, float[] x, int xo, int n) {
        for (int i = 0; i < n; i++) {
            y[yo + i] += x[xo + i];
        }
    }

    static float silu(float x) {
        return x / (1.0f + (float) Math.exp(-x));
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
