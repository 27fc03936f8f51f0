package dev.chorus.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The vector shapes every kernel is written against, derived from the preferred species (capped at 512 bits): F has
 * L float lanes; B, S and I have the same L lanes of bytes, shorts and ints, so a load of L weight bytes converts lane
 * for lane into one float vector. The kernels are written once in terms of L and work for any width with L &gt;= 8
 * (AVX2: 8, AVX-512: 16); narrower machines use the scalar references.
 */
final class Vec {
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.vectorBitSize() > 512
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    static final int L = F.length();
    static final boolean ENABLED = L >= 8 && L <= 16 && !Boolean.getBoolean("chorus.scalarKernels");
    static final VectorSpecies<Byte> B = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(64, L * 8)));
    static final VectorSpecies<Short> S = ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(64, L * 16)));
    static final VectorSpecies<Integer> I = F.withLanes(int.class);
    /** 2L shorts (a whole vector register), and the 2L bytes that widen into them. */
    static final VectorSpecies<Short> S2 = ShortVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(32 * L));
    static final VectorSpecies<Byte> B2 = ByteVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(Math.max(64, 16 * L)));
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private Vec() {
    }

    /** L signed bytes at off, as floats. */
    static FloatVector bytes(MemorySegment w, long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B, w, off, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    /** L signed bytes at off of a heap array, as floats. */
    static FloatVector bytes(byte[] w, int off) {
        return (FloatVector) ByteVector.fromArray(B, w, off).convertShape(VectorOperators.B2F, F, 0);
    }

    static ByteVector byteVector(byte[] w, int off) {
        return ByteVector.fromArray(B, w, off);
    }

    static ByteVector byteVector(MemorySegment w, long off) {
        return ByteVector.fromMemorySegment(B, w, off, LE);
    }

    /** Byte lanes (already small ints) as floats. */
    static FloatVector toFloat(ByteVector v) {
        return (FloatVector) v.convertShape(VectorOperators.B2F, F, 0);
    }

    static FloatVector toFloat(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    private static final IntVector ZERO = IntVector.zero(I);
    private static final long LANE_BITS = (1L << L) - 1;

    /** Lane i = ((bits &gt;&gt;&gt; i) &amp; 1) &lt;&lt; shift: one bit of a packed mask per lane. */
    static IntVector highBits(int bits, int shift) {
        return ZERO.blend(1 << shift, VectorMask.fromLong(I, bits & LANE_BITS));
    }

    /** L IEEE halves (as shorts) to floats, by bit manipulation (subnormals, infinities and NaN included). */
    static FloatVector halfToFloat(ShortVector h16) {
        IntVector h = (IntVector) h16.convertShape(VectorOperators.S2I, I, 0);
        IntVector abs = h.and(0x7fff);
        IntVector shifted = abs.lanewise(VectorOperators.LSHL, 13);
        IntVector bits = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        bits = bits.blend(shifted.or(0x7f800000), abs.compare(VectorOperators.GE, 0x7c00));
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }

    /** L bfloat16 values (as shorts) to floats. */
    static FloatVector bf16ToFloat(ShortVector h16) {
        IntVector h = (IntVector) h16.convertShape(VectorOperators.S2I, I, 0);
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** 2L signed bytes widened to 2L shorts. */
    static ShortVector toShorts(ByteVector v) {
        return (ShortVector) v.convertShape(VectorOperators.B2S, S2, 0);
    }

    /** Sums adjacent pairs of 16-bit lanes into L 32-bit lanes (what x86's pmaddwd does with a vector of ones). */
    static IntVector pairSums(ShortVector v) {
        IntVector pairs = v.reinterpretAsInts();
        return pairs.lanewise(VectorOperators.LSHL, 16).lanewise(VectorOperators.ASHR, 16)
                .add(pairs.lanewise(VectorOperators.ASHR, 16));
    }

    static IntVector toInt(ByteVector v) {
        return (IntVector) v.convertShape(VectorOperators.B2I, I, 0);
    }
}
