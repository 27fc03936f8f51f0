package dev.chorus.router;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.lang.management.ManagementFactory;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Manual experiment (not a test): bare ONNX Runtime latency of all-MiniLM-L6-v2 (quantized) under different session
 * options and sequence lengths. Args: path to the .onnx file, then configs like "t2,all,spin,stop,seq,arena,pattern".
 */
public final class OnnxLatencyExperiment {
    public static void main(String[] args) throws Exception {
        byte[] model = Files.readAllBytes(Path.of(args[0]));
        int iters = Integer.getInteger("iters", 200);
        int[] lens = Arrays.stream(System.getProperty("lens", "128").split(",")).mapToInt(Integer::parseInt).toArray();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        for (int rep = 0; rep < Integer.getInteger("reps", 1); rep++) {
            for (int a = 1; a < args.length; a++) {
                String cfg = args[a];
                try (OrtSession.SessionOptions o = options(cfg); OrtSession s = env.createSession(model, o)) {
                    if (rep == 0 && a == 1) {
                        for (Map.Entry<String, NodeInfo> e : s.getInputInfo().entrySet()) {
                            System.out.println("input " + e.getKey() + " " + e.getValue().getInfo());
                        }
                    }
                    for (int len : lens) {
                        long[] ids = new long[len];
                        long[] mask = new long[len];
                        long[] types = new long[len];
                        for (int i = 0; i < len; i++) {
                            ids[i] = i == 0 ? 101 : i == len - 1 ? 102 : 2000 + (i * 37) % 20000;
                            mask[i] = 1;
                        }
                        long[] shape = {1, len};
                        double[] ms = new double[iters];
                        for (int i = -30; i < iters; i++) {
                            ids[1 + Math.floorMod(i, len - 2)] = 3000 + Math.floorMod(i * 7, 5000);
                            if (i == 0) {
                                cpu0 = os.getProcessCpuTime();
                            }
                            long t0 = System.nanoTime();
                            try (OnnxTensor ti = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                                 OnnxTensor tm = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
                                 OnnxTensor tt = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape)) {
                                Map<String, OnnxTensor> in = new HashMap<>();
                                in.put("input_ids", ti);
                                in.put("attention_mask", tm);
                                if (s.getInputNames().contains("token_type_ids")) {
                                    in.put("token_type_ids", tt);
                                }
                                try (OrtSession.Result r = s.run(in)) {
                                    float[][][] out = (float[][][]) r.get(0).getValue();
                                    if (out[0].length != len) throw new IllegalStateException();
                                }
                            }
                            if (i >= 0) {
                                ms[i] = (System.nanoTime() - t0) / 1e6;
                            }
                            if (GAP_MS > 0) {
                                Thread.sleep(GAP_MS);
                            }
                        }
                        double cpu = (os.getProcessCpuTime() - cpu0) / 1e6 / iters;
                        Arrays.sort(ms);
                        System.out.printf("%-40s len=%3d p50=%6.2f p90=%6.2f p99=%6.2f cpu/run=%6.2f load=%.2f%n", cfg, len,
                                ms[iters / 2], ms[iters * 9 / 10], ms[iters * 99 / 100], cpu, os.getSystemLoadAverage());
                    }
                }
            }
        }
    }

    static long cpu0;
    static final int GAP_MS = Integer.getInteger("gap", 0);

    static OrtSession.SessionOptions options(String cfg) throws Exception {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        int threads = 2;
        boolean spin = false;
        for (String part : cfg.split(",")) {
            switch (part) {
                case "t1" -> threads = 1;
                case "t2" -> threads = 2;
                case "t3" -> threads = 3;
                case "spin" -> spin = true;
                case "stop" -> o.addConfigEntry("session.force_spinning_stop", "1");
                case "basic" -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
                case "ext" -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.EXTENDED_OPT);
                case "all" -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                case "none" -> o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
                case "par" -> o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
                case "noarena" -> o.setCPUArenaAllocator(false);
                case "arena" -> o.setCPUArenaAllocator(true);
                case "nopattern" -> o.setMemoryPatternOptimization(false);
                case "daz" -> o.addConfigEntry("session.set_denormal_as_zero", "1");
                case "noprepack" -> o.addConfigEntry("session.disable_prepacking", "1");
                default -> {
                    if (part.startsWith("block")) {
                        o.addConfigEntry("session.dynamic_block_base", part.substring(5));
                    } else if (!part.isEmpty()) {
                        throw new IllegalArgumentException(part);
                    }
                }
            }
        }
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.addConfigEntry("session.intra_op.allow_spinning", spin ? "1" : "0");
        return o;
    }
}
