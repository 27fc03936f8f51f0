package dev.chorus.model;

import dev.chorus.tensor.WeightMatrix;

/**
 * Multiplies one activation batch by up to three weight matrices in a single parallel loop over their concatenated
 * rows (q/k/v, or gate/up), so a decode step pays one thread hand-off per group instead of one per matrix.
 * Reused across calls; it holds no state between them.
 */
final class MatMulTask implements ComputeThreads.Body {
    private final WeightMatrix[] matrices = new WeightMatrix[3];
    private final float[][] outputs = new float[3][];
    private int count;
    private float[] x;
    private int n;

    void run(ComputeThreads threads, float[] x, int n, WeightMatrix m0, float[] o0) {
        set(x, n, 1, m0, o0, null, null, null, null);
        threads.parallelFor(m0.rows(), this);
        clear();
    }

    void run(ComputeThreads threads, float[] x, int n, WeightMatrix m0, float[] o0, WeightMatrix m1, float[] o1) {
        set(x, n, 2, m0, o0, m1, o1, null, null);
        threads.parallelFor(m0.rows() + m1.rows(), this);
        clear();
    }

    void run(ComputeThreads threads, float[] x, int n, WeightMatrix m0, float[] o0, WeightMatrix m1, float[] o1,
             WeightMatrix m2, float[] o2) {
        set(x, n, 3, m0, o0, m1, o1, m2, o2);
        threads.parallelFor(m0.rows() + m1.rows() + m2.rows(), this);
        clear();
    }

    private void set(float[] x, int n, int count, WeightMatrix m0, float[] o0, WeightMatrix m1, float[] o1,
                     WeightMatrix m2, float[] o2) {
        this.x = x;
        this.n = n;
        this.count = count;
        matrices[0] = m0;
        outputs[0] = o0;
        matrices[1] = m1;
        outputs[1] = o1;
        matrices[2] = m2;
        outputs[2] = o2;
    }

    private void clear() {
        x = null;
        for (int i = 0; i < 3; i++) {
            matrices[i] = null;
            outputs[i] = null;
        }
    }

    @Override
    public void run(int worker, int from, int to) {
        int base = 0;
        for (int i = 0; i < count; i++) {
            WeightMatrix m = matrices[i];
            int lo = Math.max(from, base);
            int hi = Math.min(to, base + m.rows());
            if (lo < hi) {
                if (n == 1) {
                    m.matVec(x, outputs[i], lo - base, hi - base);
                } else {
                    m.matMul(x, n, outputs[i], lo - base, hi - base);
                }
            }
            base += m.rows();
        }
    }
}
