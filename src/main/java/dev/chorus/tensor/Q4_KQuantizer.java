package dev.chorus.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Q4_K quantization of one super-block of 256: each sub-block of 32 gets an affine range [min, max] (min &lt;= 0),
 * the eight scales and mins are quantized to 6 bits against fp16 super-scales, then the nibbles are rounded with the
 * final (quantized) scale and min so that the stored values are the best fit for them.
 */
final class Q4_KQuantizer {
    private Q4_KQuantizer() {
    }

    static void block(float[] x, int from, MemorySegment dst, long o) {
        float[] scale = new float[8];
        float[] minus = new float[8];
        float maxScale = 0f;
        float maxMin = 0f;
        for (int s = 0; s < 8; s++) {
            float lo = 0f;
            float hi = 0f;
            for (int i = 0; i < 32; i++) {
                float v = x[from + s * 32 + i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
            scale[s] = (hi - lo) / 15f;
            minus[s] = -lo;
            maxScale = Math.max(maxScale, scale[s]);
            maxMin = Math.max(maxMin, minus[s]);
        }
        float d = Float.float16ToFloat(Float.floatToFloat16(maxScale / 63f));
        float dmin = Float.float16ToFloat(Float.floatToFloat16(maxMin / 63f));
        int[] sc = new int[8];
        int[] m = new int[8];
        for (int s = 0; s < 8; s++) {
            // round the scale up so the range still fits in 0..15 after quantizing it
            sc[s] = d > 0f ? Math.min(63, (int) Math.ceil(scale[s] / d - 1e-4f)) : 0;
            m[s] = dmin > 0f ? Math.min(63, Math.round(minus[s] / dmin)) : 0;
        }
        dst.set(Mem.SHORT, o, Float.floatToFloat16(d));
        dst.set(Mem.SHORT, o + 2, Float.floatToFloat16(dmin));
        for (int j = 0; j < 4; j++) {
            put(dst, o + 4 + j, (sc[j] & 63) | ((sc[j + 4] >>> 4) << 6));
            put(dst, o + 8 + j, (m[j] & 63) | ((m[j + 4] >>> 4) << 6));
            put(dst, o + 12 + j, (sc[j + 4] & 15) | ((m[j + 4] & 15) << 4));
        }
        for (int c = 0; c < 4; c++) {
            int s0 = 2 * c;
            int s1 = 2 * c + 1;
            for (int l = 0; l < 32; l++) {
                int q0 = nibble(x[from + c * 64 + l], d * sc[s0], dmin * m[s0]);
                int q1 = nibble(x[from + c * 64 + 32 + l], d * sc[s1], dmin * m[s1]);
                put(dst, o + 16 + c * 32 + l, q0 | (q1 << 4));
            }
        }
    }

    private static int nibble(float v, float step, float min) {
        if (step == 0f) {
            return 0;
        }
        return Math.max(0, Math.min(15, Math.round((v + min) / step)));
    }

    private static void put(MemorySegment dst, long at, int value) {
        dst.set(ValueLayout.JAVA_BYTE, at, (byte) value);
    }
}
