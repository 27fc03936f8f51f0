package dev.chorus.router;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;

import java.io.InputStream;
import java.nio.ByteBuffer;

/** Manual probe (not a test): resident memory of each part of the encoder, loaded one after the other. */
public final class MemoryStagesProbe {
    public static void main(String[] args) throws Exception {
        System.gc();
        long start = MemoryProbe.rss();
        byte[] json;
        try (InputStream in = MemoryStagesProbe.class.getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
            json = in.readAllBytes();
        }
        System.gc();
        System.out.printf("json read: rss %d heap committed %d used %d%n", MemoryProbe.rss(),
                Runtime.getRuntime().totalMemory() >> 20, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        BertTokenizer tok = BertTokenizer.fromJson(json);
        System.gc();
        System.out.printf("tokenizer: rss %d heap committed %d used %d%n", MemoryProbe.rss(),
                Runtime.getRuntime().totalMemory() >> 20, (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        System.gc();
        long tokenizer = MemoryProbe.rss();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.gc();
        long ortLib = MemoryProbe.rss();
        byte[] model;
        try (InputStream in = MemoryStagesProbe.class.getResourceAsStream("/all-minilm-l6-v2-q.onnx")) {
            model = in.readAllBytes();
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(model.length).put(model).flip();
        model = null;
        OrtSession s = env.createSession(direct, OnnxSessionOptions.create());
        direct = null;
        System.gc();
        Thread.sleep(200);
        long session = MemoryProbe.rss();
        System.out.printf("rss MB: start %d, +tokenizer %d, +ORT library/env %d, +session %d%n", start,
                tokenizer - start, ortLib - tokenizer, session - ortLib);
        s.close();
    }
}
