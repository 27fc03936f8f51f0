package dev.chorus.tensor;

/**
 * One or more activation vectors prepared for dot products with a weight type: rounded (F16/BF16) or quantized
 * (Q8_0/Q8_1/Q8_K) exactly as ggml's CPU backend does. Prepare once per matrix product and share the instance across
 * the threads that split the rows (it is read-only while they run). The arrays grow on demand and are reused, so a
 * long-lived instance allocates nothing per call.
 */
public final class Activations {
    private ActivationFormat format = ActivationFormat.F32;
    private int count;
    private int cols;

    /** F32/F16/BF16: the (rounded) values, count*cols; for F32 this may be the caller's own array. */
    float[] values = new float[0];
    private float[] ownValues = new float[0];
    /** Quantized formats: the int8 quants, count*cols. */
    byte[] quants = new byte[0];
    /** Quantized formats: the int8 quants as floats (exact), for the vector kernels. */
    float[] quantFloats = new float[0];
    /**
     * Q8_0 with {@link QuantizedMatrix#DECODED_MIN_VECTORS} or more vectors: the quants as floats in the
     * {@link BlockMajor} layout, vector b at b*cols, and
     * their lanes' block scales, vector b at b*segments(cols)*L; for {@link DecodedTile}.
     */
    float[] blockMajorQuants = new float[0];
    float[] blockMajorScales = new float[0];
    /**
     * Quantized formats: the int8 quants widened to shorts, for the 16-bit integer kernels; not filled for Q8_0 with
     * {@link QuantizedMatrix#DECODED_MIN_VECTORS} or more vectors (the decoded tiles do not read it).
     */
    short[] quantShorts = new short[0];
    /** Quantized formats: the scale of each block, count*cols/blockSize. */
    float[] scales = new float[0];
    /** Q8_1: fp16-rounded scale x sum of quants, per block. */
    float[] blockSums = new float[0];
    /** Q8_K: sum of the quants of each group of 16, count*cols/16. */
    int[] groupSums = new int[0];
    /** Q8_K: sum of the quants of each group of 32, count*cols/32. */
    int[] pairSums = new int[0];

    public ActivationFormat format() {
        return format;
    }

    /** Number of activation vectors. */
    public int count() {
        return count;
    }

    public int cols() {
        return cols;
    }

    /**
     * Prepares {@code n} vectors of {@code cols} floats held in x[b*cols + c]. For {@link ActivationFormat#F32} the
     * prepared activations alias x (no copy), so x must not change while they are in use.
     *
     * @return this
     */
    public Activations prepare(ActivationFormat format, float[] x, int n, int cols) {
        if (cols % format.blockSize() != 0) {
            throw new IllegalArgumentException(
                    cols + " columns is not a whole number of " + format + " blocks of " + format.blockSize());
        }
        if ((long) n * cols > x.length) {
            throw new IllegalArgumentException("activation array holds " + x.length + " floats, need " + n + "x" + cols);
        }
        this.format = format;
        this.count = n;
        this.cols = cols;
        int total = n * cols;
        switch (format) {
            case F32 -> values = x;
            case F16 -> {
                values = ownValues(total);
                for (int i = 0; i < total; i++) {
                    values[i] = Float.float16ToFloat(Float.floatToFloat16(x[i]));
                }
            }
            case BF16 -> {
                values = ownValues(total);
                for (int i = 0; i < total; i++) {
                    values[i] = Bf16.toFloat(Bf16.fromFloat(x[i]));
                }
            }
            case Q8_0 -> {
                ensureQuantArrays(total, total / 32, 0);
                if (Vec.ENABLED) {
                    ActivationQuantizer.q8_0Blocks(x, 0, total / 32, quants, quantFloats, scales, 0);
                } else {
                    for (int b = 0; b < total / 32; b++) {
                        ActivationQuantizer.q8_0Block(x, b * 32, quants, scales, blockSums, b, false);
                    }
                    widenToFloats(total);
                }
                if (n >= QuantizedMatrix.DECODED_MIN_VECTORS) {
                    // the decoded tiles read only the block-major copy (every Q8_0-activation type decodes its rows)
                    blockMajor(n, cols);
                } else {
                    widenToShorts(total);
                }
            }
            case Q8_1 -> {
                ensureQuantArrays(total, total / 32, 0);
                for (int b = 0; b < total / 32; b++) {
                    ActivationQuantizer.q8_0Block(x, b * 32, quants, scales, blockSums, b, true);
                }
                widenToFloats(total);
                widenToShorts(total);
            }
            case Q8_K -> {
                ensureQuantArrays(total, total / 256, total / 16);
                for (int b = 0; b < total / 256; b++) {
                    ActivationQuantizer.q8_KBlock(x, b * 256, quants, scales, groupSums, b);
                }
                for (int p = 0; p < total / 32; p++) {
                    pairSums[p] = groupSums[2 * p] + groupSums[2 * p + 1];
                }
                widenToFloats(total);
                widenToShorts(total);
            }
        }
        return this;
    }

    /** Offset of vector b's first element in {@link #values} or {@link #quants}. */
    int offset(int b) {
        return b * cols;
    }

    private float[] ownValues(int total) {
        if (ownValues.length < total) {
            ownValues = new float[total];
        }
        return ownValues;
    }

    private void widenToFloats(int total) {
        for (int i = 0; i < total; i++) {
            quantFloats[i] = quants[i];
        }
    }

    private void widenToShorts(int total) {
        for (int i = 0; i < total; i++) {
            quantShorts[i] = quants[i];
        }
    }

    private void blockMajor(int n, int cols) {
        int laneScales = BlockMajor.segments(cols) * Vec.L;
        if (blockMajorQuants.length < n * cols) {
            blockMajorQuants = new float[n * cols];
        }
        if (blockMajorScales.length < n * laneScales) {
            blockMajorScales = new float[n * laneScales];
        }
        for (int b = 0; b < n; b++) {
            BlockMajor.transpose(quantFloats, b * cols, cols, blockMajorQuants, b * cols);
            BlockMajor.laneScales(scales, b * cols / 32, cols, blockMajorScales, b * laneScales);
        }
    }

    private void ensureQuantArrays(int total, int blocks, int groups) {
        if (quants.length < total) {
            quants = new byte[total];
            quantFloats = new float[total];
            quantShorts = new short[total];
        }
        if (scales.length < blocks) {
            scales = new float[blocks];
            blockSums = new float[blocks];
        }
        if (groupSums.length < groups) {
            groupSums = new int[groups];
        }
        if (pairSums.length < groups / 2) {
            pairSums = new int[groups / 2];
        }
    }
}
