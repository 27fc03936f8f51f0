package dev.chorus.model;

import dev.chorus.tensor.Activations;
import dev.chorus.tensor.ComputePool;
import dev.chorus.tensor.WeightMatrix;

import java.util.function.IntConsumer;

/**
 * Multiplies one activation batch by up to three weight matrices in a single parallel loop over their concatenated
 * rows (q/k/v, or gate/up), so a decode step pays one thread hand-off per group instead of one per matrix. The
 * activations are rounded/quantized once per distinct format on the calling thread and shared by all chunks.
 * Reused across calls; allocates nothing once its scratch has grown.
 */
final class MatMulTask implements IntConsumer {
    private static final int MIN_ROWS_PER_CHUNK = 16;
    /**
     * Products smaller than this many multiply-adds run on the calling thread: handing a few tens of microseconds of
     * work to another thread costs more than it saves. On a quiet machine 2^19 gave SmolLM2-shape decoding 25-45 %
     * more tokens/s than 2^21 (whose per-layer products then all stayed on one thread); on a machine loaded by other
     * processes, where the worker may not be scheduled at once, 2^21 was the better one. Override with
     * -Dchorus.parallelMinWork.
     */
    static final long MIN_PARALLEL_WORK = Long.getLong("chorus.parallelMinWork", 1L << 19);

    private final WeightMatrix[] matrices = new WeightMatrix[3];
    private final float[][] outputs = new float[3][];
    private final Activations[] scratch = {new Activations(), new Activations(), new Activations()};
    private final Activations[] prepared = new Activations[3];
    private int count;
    private int totalRows;
    private int chunks;

    void run(ComputePool pool, float[] x, int n, WeightMatrix m0, float[] o0) {
        set(0, m0, o0);
        execute(pool, x, n, 1);
    }

    void run(ComputePool pool, float[] x, int n, WeightMatrix m0, float[] o0, WeightMatrix m1, float[] o1) {
        set(0, m0, o0);
        set(1, m1, o1);
        execute(pool, x, n, 2);
    }

    void run(ComputePool pool, float[] x, int n, WeightMatrix m0, float[] o0, WeightMatrix m1, float[] o1,
             WeightMatrix m2, float[] o2) {
        set(0, m0, o0);
        set(1, m1, o1);
        set(2, m2, o2);
        execute(pool, x, n, 3);
    }

    private void set(int i, WeightMatrix m, float[] out) {
        matrices[i] = m;
        outputs[i] = out;
    }

    private void execute(ComputePool pool, float[] x, int n, int count) {
        this.count = count;
        totalRows = 0;
        for (int i = 0; i < count; i++) {
            prepared[i] = null;
            for (int j = 0; j < i; j++) {
                if (matrices[j].activationFormat() == matrices[i].activationFormat()
                        && matrices[j].cols() == matrices[i].cols()) {
                    prepared[i] = prepared[j];
                    break;
                }
            }
            if (prepared[i] == null) {
                prepared[i] = matrices[i].prepare(x, n, scratch[i]);
            }
            totalRows += matrices[i].rows();
        }
        long work = (long) totalRows * matrices[0].cols() * n;
        // a batch's chunks are long: finer ones cost little and leave a thread less time idle at the end
        int perThread = n >= 4 ? 16 : 4;
        chunks = work < MIN_PARALLEL_WORK ? 1
                : Math.max(1, Math.min(pool.threads() * perThread, totalRows / MIN_ROWS_PER_CHUNK));
        try {
            if (chunks == 1) {
                accept(0);
                return;
            }
            pool.parallelFor(chunks, this);
        } finally {
            for (int i = 0; i < 3; i++) {
                matrices[i] = null;
                outputs[i] = null;
                prepared[i] = null;
            }
        }
    }

    @Override
    public void accept(int chunk) {
        int from = (int) ((long) totalRows * chunk / chunks);
        int to = (int) ((long) totalRows * (chunk + 1) / chunks);
        int base = 0;
        for (int i = 0; i < count; i++) {
            WeightMatrix m = matrices[i];
            int lo = Math.max(from, base);
            int hi = Math.min(to, base + m.rows());
            if (lo < hi) {
                m.matMul(prepared[i], outputs[i], lo - base, hi - base);
            }
            base += m.rows();
        }
    }
}
