package dev.chorus.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float operations evaluated in exactly the order and precision of ggml's x86 CPU backend (AVX-512 build, as the
 * reference outputs were made). Bit-exact activations matter because every matmul quantizes its input: a one-ulp
 * difference can flip an int8 rounding and move logits by tenths on quantized models.
 * <ul>
 *   <li>{@link #expf}: ggml_v_expf, the vector exp used by softmax and SiLU (not the correctly rounded expf);</li>
 *   <li>{@link #reduce16}: _mm512_reduce_add_ps (halves added pairwise: 8, 4, 2, 1);</li>
 *   <li>{@link #dot}: ggml_vec_dot_f32 (4 accumulators of 16 lanes, leftovers summed in double).</li>
 * </ul>
 */
final class GgmlFloat {
    private static final VectorSpecies<Float> S16 = FloatVector.SPECIES_512;

    private GgmlFloat() {
    }

    /** ggml_v_expf (Arm optimized-routines polynomial, max error 1.45 + 0.5 ulp). */
    static float expf(float x) {
        final float r = 0x1.8p23f;
        float z = Math.fma(x, 0x1.715476p+0f, r);
        float n = z - r;
        float b = Math.fma(-n, 0x1.7f7d1cp-20f, Math.fma(-n, 0x1.62e4p-1f, x));
        if (Math.abs(n) > 192f || Float.isNaN(n)) {
            return x > 0 ? Float.POSITIVE_INFINITY : (Float.isNaN(x) ? Float.NaN : 0f);
        }
        float u = b * b;
        float j = Math.fma(
                Math.fma(Math.fma(0x1.0e4020p-7f, b, 0x1.573e2ep-5f), u, Math.fma(0x1.555e66p-3f, b, 0x1.fffdb6p-2f)),
                u,
                Math.fma(0x1.ffffecp-1f, b, 1.0f));
        return Math.scalb(j, (int) n);
    }

    /** ggml_v_silu: x / (1 + expf(-x)). */
    static float silu(float x) {
        return x / (1.0f + expf(-x));
    }

    /** _mm512_reduce_add_ps of a[o .. o+16). */
    static float reduce16(float[] a, int o) {
        float t0 = a[o] + a[o + 8];
        float t1 = a[o + 1] + a[o + 9];
        float t2 = a[o + 2] + a[o + 10];
        float t3 = a[o + 3] + a[o + 11];
        float t4 = a[o + 4] + a[o + 12];
        float t5 = a[o + 5] + a[o + 13];
        float t6 = a[o + 6] + a[o + 14];
        float t7 = a[o + 7] + a[o + 15];
        float u0 = t0 + t4;
        float u1 = t1 + t5;
        float u2 = t2 + t6;
        float u3 = t3 + t7;
        return (u0 + u2) + (u1 + u3);
    }

    /** ggml_vec_dot_f32 on AVX-512; scratch holds at least 16 floats. */
    static float dot(float[] x, int xo, float[] y, int yo, int n, float[] scratch) {
        int np = n & ~63;
        double sum = 0;
        if (np > 0) {
            FloatVector s0 = FloatVector.zero(S16);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int i = 0; i < np; i += 64) {
                s0 = FloatVector.fromArray(S16, x, xo + i).fma(FloatVector.fromArray(S16, y, yo + i), s0);
                s1 = FloatVector.fromArray(S16, x, xo + i + 16).fma(FloatVector.fromArray(S16, y, yo + i + 16), s1);
                s2 = FloatVector.fromArray(S16, x, xo + i + 32).fma(FloatVector.fromArray(S16, y, yo + i + 32), s2);
                s3 = FloatVector.fromArray(S16, x, xo + i + 48).fma(FloatVector.fromArray(S16, y, yo + i + 48), s3);
            }
            s0.add(s2).add(s1.add(s3)).intoArray(scratch, 0); // x0 += x2; x1 += x3; x0 += x1
            sum = reduce16(scratch, 0);
        }
        for (int i = np; i < n; i++) {
            sum += x[xo + i] * y[yo + i];
        }
        return (float) sum;
    }
}
