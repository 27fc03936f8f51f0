package dev.chorus.model;

/**
 * GELU (tanh approximation) evaluated like ggml on the CPU: through a table indexed by the fp16 rounding of the input,
 * holding fp16-rounded outputs; inputs beyond ±10 bypass the table. Matching it keeps deep gemma2 models within
 * llama.cpp's logits.
 */
final class GeluTable {
    private static final float[] TABLE = new float[1 << 16];

    static {
        for (int i = 0; i < TABLE.length; i++) {
            float x = Float.float16ToFloat((short) i);
            TABLE[i] = Float.float16ToFloat(Float.floatToFloat16(exact(x)));
        }
    }

    private GeluTable() {
    }

    static float exact(float x) {
        final float sqrt2OverPi = 0.79788456080286535587989211986876f;
        final float coefA = 0.044715f;
        return 0.5f * x * (1.0f + (float) Math.tanh(sqrt2OverPi * x * (1.0f + coefA * x * x)));
    }

    static float apply(float x) {
        if (x <= -10f) {
            return 0f;
        }
        if (x >= 10f) {
            return x;
        }
        return TABLE[Float.floatToFloat16(x) & 0xFFFF];
    }
}
