package dev.chorus.router;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/** The ONNX Runtime session options of the router's encoder; each choice is measured in docs/PERFORMANCE.md (Router). */
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

    static OrtSession.SessionOptions create() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads());
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // Without the arena, freed activation buffers go back to the OS: about 10 MB less resident, same speed.
        options.setCPUArenaAllocator(false);
        // ONNX Runtime's intra-op threads otherwise spin-wait after every run: measured ~25 ms of CPU burnt per
        // 3 ms embedding, taken from the experts' decoding on a small machine (see docs/PERFORMANCE.md, Server).
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }
}
