package dev.chorus.tensor;

/**
 * Quantizes activation blocks the way ggml's CPU backend does on x86 before a quantized dot product, so that the
 * integer sums match llama.cpp's: Q8_0/Q8_1 take scale max|x|/127 (stored as fp16) and multiply by 127/max with
 * round-half-even; Q8_K takes scale -max/127 from the signed value of largest magnitude, rounds half-even and keeps
 * sums per 16.
 */
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

final class ActivationQuantizer {
    /** 1.5 * 2^23: adding and subtracting it rounds a float of magnitude below 2^22 to an integer, half to even. */
    private static final float ROUND = 0x1.8p23f;

    private ActivationQuantizer() {
    }

    /**
     * Quantizes {@code blocks} Q8_0 blocks from x[from..] exactly as {@link #q8_0Block} (without sums) with vector
     * lanes: the int8 quants to q and, as floats, to qf (same offsets), the fp16-rounded scales to scales[block..].
     * A block with a non-finite value goes through the scalar path, whose casts define its quants.
     */
    static void q8_0Blocks(float[] x, int from, int blocks, byte[] q, float[] qf, float[] scales, int block) {
        for (int b = 0; b < blocks; b++) {
            int o = from + b * 32;
            FloatVector m = FloatVector.zero(F);
            for (int j = 0; j < 32; j += L) {
                m = m.max(FloatVector.fromArray(F, x, o + j).abs());
            }
            float amax = m.reduceLanes(VectorOperators.MAX);
            if (!Float.isFinite(amax)) {
                q8_0Block(x, o, q, scales, null, block + b, false);
                for (int i = 0; i < 32; i++) {
                    qf[o + i] = q[o + i];
                }
                continue;
            }
            float id = amax != 0f ? 127f / amax : 0f;
            scales[block + b] = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
            for (int j = 0; j < 32; j += L) {
                // |x * id| <= 127: the ROUND trick is Math.rint here
                FloatVector v = FloatVector.fromArray(F, x, o + j).mul(id).add(ROUND).sub(ROUND);
                v.intoArray(qf, o + j);
                v.convertShape(VectorOperators.F2B, Vec.B, 0).reinterpretAsBytes().intoArray(q, o + j);
            }
        }
    }

    static void q8_0Block(float[] x, int from, byte[] q, float[] scales, float[] sums, int block, boolean withSum) {
        float amax = 0f;
        for (int i = 0; i < 32; i++) {
            amax = Math.max(amax, Math.abs(x[from + i]));
        }
        float d = amax / 127f;
        float id = amax != 0f ? 127f / amax : 0f;
        float storedD = Float.float16ToFloat(Float.floatToFloat16(d));
        int sum = 0;
        for (int i = 0; i < 32; i++) {
            int v = (int) Math.rint(x[from + i] * id);
            q[from + i] = (byte) v;
            sum += v;
        }
        scales[block] = storedD;
        if (withSum) {
            sums[block] = Float.float16ToFloat(Float.floatToFloat16(d * sum));
        }
    }

    static void q8_KBlock(float[] x, int from, byte[] q, float[] scales, int[] groupSums, int block) {
        float max = 0f;
        float amax = 0f;
        for (int i = 0; i < 256; i++) {
            float ax = Math.abs(x[from + i]);
            if (ax > amax) {
                amax = ax;
                max = x[from + i];
            }
        }
        int g0 = from / 16;
        if (amax == 0f) {
            scales[block] = 0f;
            java.util.Arrays.fill(q, from, from + 256, (byte) 0);
            java.util.Arrays.fill(groupSums, g0, g0 + 16, 0);
            return;
        }
        float iscale = -127f / max;
        for (int i = 0; i < 256; i++) {
            int v = (int) Math.rint(iscale * x[from + i]);
            q[from + i] = (byte) Math.min(127, v);
        }
        for (int g = 0; g < 16; g++) {
            int sum = 0;
            for (int i = 0; i < 16; i++) {
                sum += q[from + g * 16 + i];
            }
            groupSums[g0 + g] = sum;
        }
        scales[block] = 1f / iscale;
    }
}
