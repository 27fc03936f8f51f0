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
     * Four vectors per decoded weight vector, for batches too small to repay {@link DecodedTile}'s row decoding
     * (several sequences decoding together). Written out per type: a tile loop shared by the family, with the
     * unpacking picked per type, boxes vectors.
     */
    @Override
    void dot4(MemorySegment w, long rowOffset, Activations a, int first, int cols, float[] out, int at, int stride) {
        float[] xq = a.quantFloats;
        float[] xs = a.scales;
        int x0 = a.offset(first);
        int step = a.offset(1);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        FloatVector acc2 = FloatVector.zero(F);
        FloatVector acc3 = FloatVector.zero(F);
        for (int b = 0; b < cols / 32; b++) {
            long o = rowOffset + (long) b * BLOCK_BYTES;
            int xb = x0 + b * 32;
            FloatVector t0 = FloatVector.zero(F);
            FloatVector t1 = FloatVector.zero(F);
            FloatVector t2 = FloatVector.zero(F);
            FloatVector t3 = FloatVector.zero(F);
            for (int j = 0; j < 16; j += L) {
                IntVector q = Vec.toInt(Vec.byteVector(w, o + 2 + j));
                FloatVector lo = Vec.toFloat(q.and(15).sub(8));
                FloatVector hi = Vec.toFloat(q.lanewise(VectorOperators.ASHR, 4).and(15).sub(8));
                t0 = hi.fma(FloatVector.fromArray(F, xq, xb + 16 + j), lo.fma(FloatVector.fromArray(F, xq, xb + j), t0));
                t1 = hi.fma(FloatVector.fromArray(F, xq, xb + step + 16 + j),
                        lo.fma(FloatVector.fromArray(F, xq, xb + step + j), t1));
                t2 = hi.fma(FloatVector.fromArray(F, xq, xb + 2 * step + 16 + j),
                        lo.fma(FloatVector.fromArray(F, xq, xb + 2 * step + j), t2));
                t3 = hi.fma(FloatVector.fromArray(F, xq, xb + 3 * step + 16 + j),
                        lo.fma(FloatVector.fromArray(F, xq, xb + 3 * step + j), t3));
            }
            float d = Mem.f16(w, o);
            int sb = xb / 32;
            int sstep = step / 32;
            acc0 = t0.fma(FloatVector.broadcast(F, d * xs[sb]), acc0);
            acc1 = t1.fma(FloatVector.broadcast(F, d * xs[sb + sstep]), acc1);
            acc2 = t2.fma(FloatVector.broadcast(F, d * xs[sb + 2 * sstep]), acc2);
            acc3 = t3.fma(FloatVector.broadcast(F, d * xs[sb + 3 * sstep]), acc3);
        }
        out[at] = acc0.reduceLanes(VectorOperators.ADD);
        out[at + stride] = acc1.reduceLanes(VectorOperators.ADD);
        out[at + 2 * stride] = acc2.reduceLanes(VectorOperators.ADD);
        out[at + 3 * stride] = acc3.reduceLanes(VectorOperators.ADD);
    }
}
