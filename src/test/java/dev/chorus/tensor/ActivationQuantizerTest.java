package dev.chorus.tensor;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The vector Q8_0 activation quantizer gives exactly the scalar one's quants and scales (which follow ggml's). */
class ActivationQuantizerTest {
    @Test
    void vectorBlocksEqualScalarBlocks() {
        int blocks = 64;
        float[] x = new float[blocks * 32];
        Random rnd = new Random(5);
        for (int b = 0; b < blocks; b++) {
            float scale = (float) Math.pow(10, rnd.nextInt(9) - 5);
            for (int i = 0; i < 32; i++) {
                x[b * 32 + i] = (float) rnd.nextGaussian() * scale;
            }
        }
        // ties: with max 127 the multiplier is 1, so k + 0.5 must round half to even (as rint, ggml's nearest_int)
        for (int i = 0; i < 32; i++) {
            x[i] = i == 0 ? 127f : (i - 16) + 0.5f;
            x[32 + i] = i == 0 ? -127f : -(i - 16) - 0.5f;
        }
        java.util.Arrays.fill(x, 64, 96, 0f);                     // all zeros: scale 0
        x[96 + 3] = Float.NaN;                                    // non-finite: the scalar path's casts
        x[128 + 7] = Float.POSITIVE_INFINITY;
        x[160] = 1e-30f;                                          // a scale that rounds to 0 in fp16
        byte[] q = new byte[x.length];
        byte[] qRef = new byte[x.length];
        float[] qf = new float[x.length];
        float[] d = new float[blocks];
        float[] dRef = new float[blocks];
        ActivationQuantizer.q8_0Blocks(x, 0, blocks, q, qf, d, 0);
        for (int b = 0; b < blocks; b++) {
            ActivationQuantizer.q8_0Block(x, b * 32, qRef, dRef, new float[blocks], b, false);
        }
        assertThat(q).containsExactly(qRef);
        for (int i = 0; i < x.length; i++) {
            assertThat(qf[i]).as("element %d", i).isEqualTo((float) qRef[i]);
        }
        assertThat(d).containsExactly(dRef);
        assertThat(q[1]).isEqualTo((byte) -14);                    // -14.5 -> -14 (even)
        assertThat(q[2]).isEqualTo((byte) -14);                    // -13.5 -> -14 (even)
    }
}
