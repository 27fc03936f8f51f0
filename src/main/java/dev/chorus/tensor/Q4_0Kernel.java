package dev.chorus.tensor;

import dev.chorus.gguf.GgmlType;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

import java.lang.foreign.MemorySegment;

import static dev.chorus.tensor.Vec.F;
import static dev.chorus.tensor.Vec.L;

/**
 * Q4_0: blocks of 32 with an fp16 scale and 16 bytes of nibbles (18 bytes); element j &lt; 16 is the low nibble of
 * byte j, element j + 16 the high nibble, both minus 8. Dot against Q8_0 activations.
 */
final class Q4_0Kernel extends Block32Kernel {
    static final int BLOCK_BYTES = 18;

    Q4_0Kernel() {
        super(GgmlType.Q4_0, ActivationFormat.Q8_0, Q4_0);
    }

    static int quant(MemorySegment w, long block, int j) {
        int v = Mem.u8(w, block + 2 + (j & 15));
        return (j < 16 ? v & 15 : v >>> 4) - 8;
    }

    @Override
    float dot(MemorySegment w, long rowOffset, Activations a, int vector, int cols) {
        if (!Vec.ENABLED) {
            return dotReference(w, rowOffset, a, vector, cols);
        }
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int xo = a.offset(vector);
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = xo + b * 32;
            FloatVector t = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = Vec.toInt(Vec.byteVector(w, o + 2 + j));
                t = Vec.toFloat(q.and(15).sub(8)).fma(FloatVector.fromArray(F, xq, xb + j), t);
                t = Vec.toFloat(q.lanewise(VectorOperators.ASHR, 4).and(15).sub(8))
                        .fma(FloatVector.fromArray(F, xq, xb + 16 + j), t);
            }
            acc = t.fma(FloatVector.broadcast(F, Mem.f16(w, o) * xs[xb / 32]), acc);
        }
        return acc.reduceLanes(VectorOperators.ADD);
    }

    @Override
    boolean decodesRows() {
        return Vec.ENABLED;
    }

    @Override
    void decodeRow(byte[] w, int rowOffset, int cols, float[] q, int qOff, float[] d, int dOff) {
        for (int b = 0; b < cols / 32; b++) {
            int o = rowOffset + b * BLOCK_BYTES;
            d[dOff + b] = Mem.f16(w, o);
            for (int j = 0; j < 16; j += L) {
                IntVector v = Vec.toInt(Vec.byteVector(w, o + 2 + j));
                Vec.toFloat(v.and(15).sub(8)).intoArray(q, qOff + b * 32 + j);
                Vec.toFloat(v.lanewise(VectorOperators.ASHR, 4).and(15).sub(8)).intoArray(q, qOff + b * 32 + 16 + j);
            }
        }
    }

    /**
     * Two rows x four vectors, for batches too small to repay {@link DecodedTile}'s row decoding (several sequences
     * decoding together): each activation load feeds two FMAs and each unpacked weight vector four. Per (row, vector)
     * it runs the arithmetic of {@link #dot} (each lane sums its part of a block exactly, one scale FMA per block), so
     * a tiled result equals the matVec one. Written out per type: a tile loop shared by the family, with the unpacking
     * picked per type, boxes vectors.
     */
    @Override
    boolean tilesRowPairs() {
        return Vec.ENABLED;
    }

    @Override
    void dot2x4(byte[] w, int row0, int row1, Activations a, int first, int last, float[] out, int out0, int out1,
                int stride) {
        int cols = a.cols();
        int v1 = Math.min(first + 1, last);
        int v2 = Math.min(first + 2, last);
        int v3 = Math.min(first + 3, last);
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int x0 = a.offset(first);
        int x1 = a.offset(v1);
        int x2 = a.offset(v2);
        int x3 = a.offset(v3);
        FloatVector a00 = FloatVector.zero(F), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        for (int b = 0; b < cols / 32; b++) {
            int o0 = row0 + b * BLOCK_BYTES;
            int o1 = row1 + b * BLOCK_BYTES;
            int c = b * 32;
            FloatVector t00 = FloatVector.zero(F), t01 = t00, t02 = t00, t03 = t00;
            FloatVector t10 = t00, t11 = t00, t12 = t00, t13 = t00;
            for (int h = 0; h < 32; h += L) {
                // elements h..h+L-1: low nibbles of bytes h.. for h < 16, high nibbles of bytes h-16.. after
                int shift = h < 16 ? 0 : 4;
                int byteAt = 2 + (h & 15);
                FloatVector w0 = Vec.toFloat(Vec.toInt(Vec.byteVector(w, o0 + byteAt))
                        .lanewise(VectorOperators.ASHR, shift).and(15).sub(8));
                FloatVector w1 = Vec.toFloat(Vec.toInt(Vec.byteVector(w, o1 + byteAt))
                        .lanewise(VectorOperators.ASHR, shift).and(15).sub(8));
                FloatVector x = FloatVector.fromArray(F, xq, x0 + c + h);
                t00 = w0.fma(x, t00);
                t10 = w1.fma(x, t10);
                x = FloatVector.fromArray(F, xq, x1 + c + h);
                t01 = w0.fma(x, t01);
                t11 = w1.fma(x, t11);
                x = FloatVector.fromArray(F, xq, x2 + c + h);
                t02 = w0.fma(x, t02);
                t12 = w1.fma(x, t12);
                x = FloatVector.fromArray(F, xq, x3 + c + h);
                t03 = w0.fma(x, t03);
                t13 = w1.fma(x, t13);
            }
            float d0 = Mem.f16(w, o0);
            float d1 = Mem.f16(w, o1);
            float e = xs[(x0 + c) / 32];
            a00 = t00.fma(FloatVector.broadcast(F, d0 * e), a00);
            a10 = t10.fma(FloatVector.broadcast(F, d1 * e), a10);
            e = xs[(x1 + c) / 32];
            a01 = t01.fma(FloatVector.broadcast(F, d0 * e), a01);
            a11 = t11.fma(FloatVector.broadcast(F, d1 * e), a11);
            e = xs[(x2 + c) / 32];
            a02 = t02.fma(FloatVector.broadcast(F, d0 * e), a02);
            a12 = t12.fma(FloatVector.broadcast(F, d1 * e), a12);
            e = xs[(x3 + c) / 32];
            a03 = t03.fma(FloatVector.broadcast(F, d0 * e), a03);
            a13 = t13.fma(FloatVector.broadcast(F, d1 * e), a13);
        }
        // written out: a call taking the accumulators can pass C2's inlining node budget here, which boxes them
        out[first * stride + out0] = a00.reduceLanes(VectorOperators.ADD);
        out[v1 * stride + out0] = a01.reduceLanes(VectorOperators.ADD);
        out[v2 * stride + out0] = a02.reduceLanes(VectorOperators.ADD);
        out[v3 * stride + out0] = a03.reduceLanes(VectorOperators.ADD);
        out[first * stride + out1] = a10.reduceLanes(VectorOperators.ADD);
        out[v1 * stride + out1] = a11.reduceLanes(VectorOperators.ADD);
        out[v2 * stride + out1] = a12.reduceLanes(VectorOperators.ADD);
        out[v3 * stride + out1] = a13.reduceLanes(VectorOperators.ADD);
    }
}
