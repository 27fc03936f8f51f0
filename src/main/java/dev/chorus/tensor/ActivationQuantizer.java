package dev.chorus.tensor;

/**
 * Quantizes activation blocks the way ggml's CPU backend does on x86 before a quantized dot product, so that the
 * integer sums match llama.cpp's: Q8_0/Q8_1 take scale max|x|/127 (stored as fp16) and multiply by 127/max with
 * round-half-even; Q8_K takes scale -max/127 from the signed value of largest magnitude, rounds half-even and keeps
 * sums per 16.
 */
final class ActivationQuantizer {
    private ActivationQuantizer() {
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
