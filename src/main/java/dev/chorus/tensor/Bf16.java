package dev.chorus.tensor;

/** bfloat16 conversions with ggml's rounding (round to nearest even; NaN stays a quiet NaN). */
final class Bf16 {
    private Bf16() {
    }

    static short fromFloat(float f) {
        int u = Float.floatToRawIntBits(f);
        if ((u & 0x7fffffff) > 0x7f800000) {
            return (short) ((u >>> 16) | 64);
        }
        return (short) ((u + (0x7fff + ((u >>> 16) & 1))) >>> 16);
    }

    static float toFloat(short h) {
        return Float.intBitsToFloat((h & 0xffff) << 16);
    }
}
