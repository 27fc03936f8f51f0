package dev.chorus.tensor;

import dev.chorus.ChorusException;
import dev.chorus.gguf.GgmlType;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Quantizes F32 weights into ggml-compatible bytes (for {@code chorus synth}). F16, BF16, Q8_0, Q4_0 and Q5_0 follow
 * ggml's reference rounding exactly; Q4_K uses a simpler scale search than ggml's (the layout is identical, the error
 * comparable).
 */
public final class Quantizer {
    private Quantizer() {
    }

    /** True when {@link #quantize} accepts this type. */
    public static boolean supports(GgmlType type) {
        return switch (type) {
            case F32, F16, BF16, Q8_0, Q4_0, Q5_0, Q4_K -> true;
            default -> false;
        };
    }

    /**
     * Quantizes src (a whole number of the type's blocks) to the type's byte layout.
     *
     * @throws ChorusException naming the type when it has no quantizer
     */
    public static byte[] quantize(GgmlType type, float[] src) {
        if (!supports(type)) {
            throw new ChorusException("no quantizer for weight type " + type + " (supported: F32, F16, BF16, Q8_0, "
                    + "Q4_0, Q5_0, Q4_K)");
        }
        byte[] out = new byte[Math.toIntExact(type.bytesFor(src.length))];
        MemorySegment dst = MemorySegment.ofArray(out);
        int blocks = src.length / type.blockSize();
        for (int b = 0; b < blocks; b++) {
            long o = (long) b * type.bytesPerBlock();
            int from = b * type.blockSize();
            switch (type) {
                case F32 -> dst.set(Mem.FLOAT, o, src[from]);
                case F16 -> dst.set(Mem.SHORT, o, Float.floatToFloat16(src[from]));
                case BF16 -> dst.set(Mem.SHORT, o, Bf16.fromFloat(src[from]));
                case Q8_0 -> q8_0(src, from, dst, o);
                case Q4_0 -> q4_0(src, from, dst, o);
                case Q5_0 -> q5_0(src, from, dst, o);
                case Q4_K -> Q4_KQuantizer.block(src, from, dst, o);
                default -> throw new IllegalStateException(type.name());
            }
        }
        return out;
    }

    private static void q8_0(float[] x, int from, MemorySegment dst, long o) {
        float amax = 0f;
        for (int i = 0; i < 32; i++) {
            amax = Math.max(amax, Math.abs(x[from + i]));
        }
        float d = amax / 127f;
        float id = d != 0f ? 1f / d : 0f;
        dst.set(Mem.SHORT, o, Float.floatToFloat16(d));
        for (int i = 0; i < 32; i++) {
            dst.set(ValueLayout.JAVA_BYTE, o + 2 + i, (byte) roundHalfAway(x[from + i] * id));
        }
    }

    /**
     * The type llama.cpp's quantizer actually writes for a tensor whose rows have {@code cols} elements: K-quants need
     * rows that are whole 256-element super-blocks, otherwise llama-quantize falls back (Q4_K to Q5_0, Q5_K to Q5_1,
     * Q6_K to Q8_0, Q2_K/Q3_K to IQ4_NL, which Chorus replaces with Q4_0 as it has no IQ4_NL kernel).
     */
    public static GgmlType typeForRows(GgmlType wanted, long cols) {
        if (cols % wanted.blockSize() == 0) {
            return wanted;
        }
        return switch (wanted) {
            case Q4_K -> GgmlType.Q5_0;
            case Q5_K -> GgmlType.Q5_1;
            case Q6_K -> GgmlType.Q8_0;
            case Q2_K, Q3_K -> GgmlType.Q4_0;
            default -> throw new IllegalArgumentException(
                    "rows of " + cols + " are not a whole number of " + wanted + " blocks of " + wanted.blockSize());
        };
    }

    /** C's roundf: halves away from zero. */
    private static int roundHalfAway(float v) {
        return v < 0f ? -Math.round(-v) : Math.round(v);
    }

    private static void q4_0(float[] x, int from, MemorySegment dst, long o) {
        float amax = 0f;
        float max = 0f;
        for (int i = 0; i < 32; i++) {
            float v = x[from + i];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0f ? 1f / d : 0f;
        dst.set(Mem.SHORT, o, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (int) (x[from + j] * id + 8.5f));
            int hi = Math.min(15, (int) (x[from + j + 16] * id + 8.5f));
            dst.set(ValueLayout.JAVA_BYTE, o + 2 + j, (byte) (lo | (hi << 4)));
        }
    }

    private static void q5_0(float[] x, int from, MemorySegment dst, long o) {
        float amax = 0f;
        float max = 0f;
        for (int i = 0; i < 32; i++) {
            float v = x[from + i];
            if (Math.abs(v) > amax) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -16f;
        float id = d != 0f ? 1f / d : 0f;
        dst.set(Mem.SHORT, o, Float.floatToFloat16(d));
        int qh = 0;
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(31, (int) (x[from + j] * id + 16.5f));
            int hi = Math.min(31, (int) (x[from + j + 16] * id + 16.5f));
            dst.set(ValueLayout.JAVA_BYTE, o + 6 + j, (byte) ((lo & 15) | ((hi & 15) << 4)));
            qh |= ((lo >>> 4) & 1) << j;
            qh |= ((hi >>> 4) & 1) << (j + 16);
        }
        dst.set(Mem.INT, o + 2, qh);
    }
}
