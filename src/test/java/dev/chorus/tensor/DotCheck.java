package dev.chorus.tensor;

/**
 * The error bound of a dot product computed with rounded/quantized activations instead of exact floats:
 * |w . x - w . round(x)| &lt;= sum |w_i| * maxRoundingError(x_i), plus float summation noise.
 */
final class DotCheck {
    private DotCheck() {
    }

    /** Worst-case rounding error of each activation element under format f. */
    static float[] activationErrorBound(ActivationFormat f, float[] x, int from, int cols) {
        float[] e = new float[cols];
        switch (f) {
            case F32 -> { }
            case F16 -> {
                for (int i = 0; i < cols; i++) {
                    e[i] = Math.abs(x[from + i]) * 0x1p-11f + 0x1p-24f;
                }
            }
            case BF16 -> {
                for (int i = 0; i < cols; i++) {
                    e[i] = Math.abs(x[from + i]) * 0x1p-8f + 1e-38f;
                }
            }
            default -> {
                int bs = f.blockSize();
                for (int b = 0; b < cols / bs; b++) {
                    float amax = 0;
                    for (int i = 0; i < bs; i++) {
                        amax = Math.max(amax, Math.abs(x[from + b * bs + i]));
                    }
                    // half a quantization step, plus the fp16 rounding of the scale (Q8_0/Q8_1) times 127 steps
                    float step = amax / 127f;
                    float err = step * 0.5f + (bs == 32 ? amax * 0x1p-10f : 0f);
                    for (int i = 0; i < bs; i++) {
                        e[b * bs + i] = err * 1.0001f;
                    }
                }
            }
        }
        return e;
    }

    /** The bound for one row: sum |w_i| * e_i plus summation noise relative to sum |w_i x_i|. */
    static double bound(float[] w, float[] x, int xFrom, float[] e) {
        double b = 0;
        double mag = 0;
        for (int i = 0; i < w.length; i++) {
            b += Math.abs(w[i]) * e[i];
            mag += Math.abs(w[i] * x[xFrom + i]);
        }
        return b + mag * 1e-5 + 1e-6;
    }

    /** sum |w_i x_i|: the scale of float summation-order noise, which the tolerance between two kernels follows. */
    static double magnitude(float[] w, float[] x, int xFrom) {
        double mag = 0;
        for (int i = 0; i < w.length; i++) {
            mag += Math.abs(w[i] * x[xFrom + i]);
        }
        return mag;
    }

    /** Allowed difference between two float implementations of the same (rounded) dot product. */
    static double summationTolerance(float[] w, float[] x, int xFrom) {
        return 2e-5 * magnitude(w, x, xFrom) + 1e-6;
    }

    static double exactDot(float[] w, float[] x, int xFrom) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            s += (double) w[i] * x[xFrom + i];
        }
        return s;
    }
}
