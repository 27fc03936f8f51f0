package dev.chorus.model.synth;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgmlType;

/**
 * Writes rows of floats in a ggml weight type, for synthetic models: F32, F16, Q8_0 and Q4_0 as ggml's reference
 * quantizers do, Q4_K with a simple min/max fit per 32-value sub-block (6-bit scales and mins, not llama.cpp's
 * iterative search; the format is the same, the rounding error a little larger).
 */
public final class Quantizer {
    private Quantizer() {
    }

    public static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, Q8_0, Q4_0, Q4_K -> true;
            default -> false;
        };
    }

    /** Encodes n = x.length values (a whole number of blocks) into dst at offset. */
    public static void encode(GgmlType type, float[] x, byte[] dst, int offset) {
        int n = x.length;
        if (n % type.blockSize() != 0) {
            throw new IllegalArgumentException(n + " values is not a whole number of " + type + " blocks");
        }
        switch (type) {
            case F32 -> {
                for (int i = 0; i < n; i++) {
                    putInt(dst, offset + 4 * i, Float.floatToRawIntBits(x[i]));
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    putShort(dst, offset + 2 * i, Float.floatToFloat16(x[i]));
                }
            }
            case Q8_0 -> {
                for (int b = 0; b < n / 32; b++) {
                    q8_0(x, b * 32, dst, offset + b * 34);
                }
            }
            case Q4_0 -> {
                for (int b = 0; b < n / 32; b++) {
                    q4_0(x, b * 32, dst, offset + b * 18);
                }
            }
            case Q4_K -> {
                for (int b = 0; b < n / 256; b++) {
                    q4_K(x, b * 256, dst, offset + b * 144);
                }
            }
            default -> throw new ChorusException("chorus synth cannot write weight type " + type
                    + " (supported: F32, F16, Q8_0, Q4_0, Q4_K)");
        }
    }

    private static void q8_0(float[] x, int o, byte[] dst, int at) {
        float amax = 0;
        for (int i = 0; i < 32; i++) {
            amax = Math.max(amax, Math.abs(x[o + i]));
        }
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        putShort(dst, at, Float.floatToFloat16(d));
        for (int i = 0; i < 32; i++) {
            dst[at + 2 + i] = (byte) Math.round(x[o + i] * id);
        }
    }

    private static void q4_0(float[] x, int o, byte[] dst, int at) {
        float amax = 0;
        float max = 0;
        for (int i = 0; i < 32; i++) {
            float v = x[o + i];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        putShort(dst, at, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int q0 = Math.min(15, (int) (x[o + j] * id + 8.5f));
            int q1 = Math.min(15, (int) (x[o + 16 + j] * id + 8.5f));
            dst[at + 2 + j] = (byte) (q0 | (q1 << 4));
        }
    }

    private static void q4_K(float[] x, int o, byte[] dst, int at) {
        float[] scale = new float[8];
        float[] offset = new float[8];
        for (int j = 0; j < 8; j++) {
            float min = 0;
            float max = 0;
            for (int i = 0; i < 32; i++) {
                float v = x[o + 32 * j + i];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            scale[j] = (max - min) / 15f;
            offset[j] = -min;
        }
        float maxScale = 0;
        float maxOffset = 0;
        for (int j = 0; j < 8; j++) {
            maxScale = Math.max(maxScale, scale[j]);
            maxOffset = Math.max(maxOffset, offset[j]);
        }
        float d = Float.float16ToFloat(Float.floatToFloat16(maxScale / 63f));
        float dmin = Float.float16ToFloat(Float.floatToFloat16(maxOffset / 63f));
        int[] sc = new int[8];
        int[] m = new int[8];
        for (int j = 0; j < 8; j++) {
            sc[j] = d > 0 ? Math.min(63, Math.round(scale[j] / d)) : 0;
            m[j] = dmin > 0 ? Math.min(63, Math.round(offset[j] / dmin)) : 0;
        }
        putShort(dst, at, Float.floatToFloat16(d));
        putShort(dst, at + 2, Float.floatToFloat16(dmin));
        int s = at + 4;
        for (int j = 0; j < 4; j++) {
            dst[s + j] = (byte) ((sc[j] & 63) | ((sc[j + 4] >> 4) << 6));
            dst[s + j + 4] = (byte) ((m[j] & 63) | ((m[j + 4] >> 4) << 6));
            dst[s + j + 8] = (byte) ((sc[j + 4] & 15) | ((m[j + 4] & 15) << 4));
        }
        int qs = at + 16;
        for (int pair = 0; pair < 4; pair++) {
            int lo = 2 * pair;
            int hi = lo + 1;
            for (int l = 0; l < 32; l++) {
                int q0 = level(x[o + 32 * lo + l], d * sc[lo], dmin * m[lo]);
                int q1 = level(x[o + 32 * hi + l], d * sc[hi], dmin * m[hi]);
                dst[qs + 32 * pair + l] = (byte) (q0 | (q1 << 4));
            }
        }
    }

    /** The 4-bit level q with scale * q - offset closest to v. */
    private static int level(float v, float scale, float offset) {
        if (scale <= 0) {
            return 0;
        }
        return Math.max(0, Math.min(15, Math.round((v + offset) / scale)));
    }

    private static void putShort(byte[] b, int at, short v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }
}
