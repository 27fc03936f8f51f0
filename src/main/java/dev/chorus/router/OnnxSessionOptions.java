package dev.chorus.router;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The ONNX Runtime session options of the router's encoder. Each choice was measured (docs/PERFORMANCE.md, Router):
 * graph optimisation level, arena and memory pattern change neither speed nor memory by more than the noise, so the
 * defaults stay except where noted; the thread count and spinning decide the latency.
 */
final class OnnxSessionOptions {
    private OnnxSessionOptions() {
    }

    /**
     * At most {@code chorus.router.threads} (default: available processors, capped at 4) intra-op threads: a
     * 384-wide model gains nothing from more, and the server's other work needs the cores.
     */
    static int threads() {
        return Integer.getInteger("chorus.router.threads", Math.min(4, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Whether the intra-op workers spin-wait inside a run ({@code -Dchorus.router.spin=true}). On idle cores that cuts
     * a 96-token embedding from ~4.4 to ~3 ms; on cores shared with other busy threads (the experts' decoding) it
     * makes routing 2-3x slower and burns CPU, so it is off by default.
     */
    static boolean spinning() {
        return Boolean.getBoolean("chorus.router.spin");
    }

    static OrtSession.SessionOptions create() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads());
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // Without the arena, freed activation buffers go back to the allocator: a few MB less resident, same speed.
        options.setCPUArenaAllocator(false);
        boolean spin = spinning();
        options.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
        if (spin) {
            // Spin only while a run is in progress, never between runs: ONNX Runtime's default kept the workers
            // spinning after every run, ~25 ms of CPU per embedding taken from the experts' decoding.
            options.addConfigEntry("session.force_spinning_stop", "1");
        }
        return options;
    }
}
