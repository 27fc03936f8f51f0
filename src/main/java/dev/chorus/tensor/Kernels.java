package dev.chorus.tensor;

import java.util.function.IntConsumer;

/**
 * Parallel matrix products on a {@link ComputePool}: the activations are prepared (rounded/quantized) once on the
 * calling thread, then the rows are split in chunks across the pool. Nothing is allocated per call once the calling
 * thread's scratch has grown to size.
 */
public final class Kernels {
    /** Rows per chunk are at least this, so that claiming a chunk costs little next to computing it. */
    private static final int MIN_ROWS_PER_CHUNK = 16;

    private static final ThreadLocal<RowTask> TASKS = ThreadLocal.withInitial(RowTask::new);

    private Kernels() {
    }

    /** out[r] = w.row(r) . x for every row. */
    public static void matVec(ComputePool pool, WeightMatrix w, float[] x, float[] out) {
        matMul(pool, w, x, 1, out);
    }

    /** out[b*rows + r] = w.row(r) . x[b*cols ..] for the n vectors of x. */
    public static void matMul(ComputePool pool, WeightMatrix w, float[] x, int n, float[] out) {
        RowTask task = acquire();
        try {
            task.run(pool, w, w.prepare(x, n, task.scratch), out);
        } finally {
            task.inUse = false;
        }
    }

    /**
     * As {@link #matMul(ComputePool, WeightMatrix, float[], int, float[])} with activations prepared by
     * {@link WeightMatrix#prepare} (reusable for several matrices with the same activation format and cols, e.g. the
     * Q, K and V projections).
     */
    public static void matMul(ComputePool pool, WeightMatrix w, Activations prepared, float[] out) {
        RowTask task = acquire();
        try {
            task.run(pool, w, prepared, out);
        } finally {
            task.inUse = false;
        }
    }

    /** The calling thread's task, or a fresh one when a chunk of an outer call on this thread is using it. */
    private static RowTask acquire() {
        RowTask task = TASKS.get();
        if (task.inUse) {
            task = new RowTask();
        }
        task.inUse = true;
        return task;
    }

    /** A reusable chunk body, one per calling thread, so that a call allocates no lambda. */
    private static final class RowTask implements IntConsumer {
        final Activations scratch = new Activations();
        boolean inUse;
        private WeightMatrix w;
        private Activations a;
        private float[] out;
        private int chunks;

        void run(ComputePool pool, WeightMatrix w, Activations a, float[] out) {
            int rows = w.rows();
            int chunks = Math.max(1, Math.min(pool.threads() * 8, rows / MIN_ROWS_PER_CHUNK));
            if (chunks == 1) {
                w.matMul(a, out, 0, rows);
                return;
            }
            this.w = w;
            this.a = a;
            this.out = out;
            this.chunks = chunks;
            try {
                pool.parallelFor(chunks, this);
            } finally {
                this.w = null;
                this.a = null;
                this.out = null;
            }
        }

        @Override
        public void accept(int chunk) {
            int rows = w.rows();
            int from = (int) ((long) rows * chunk / chunks);
            int to = (int) ((long) rows * (chunk + 1) / chunks);
            w.matMul(a, out, from, to);
        }
    }
}
