package dev.chorus.router;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.chorus.ChorusException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A BERT-style ONNX sentence encoder run in-process by ONNX Runtime through LangChain4j. The default is the quantized
 * all-MiniLM-L6-v2 that LangChain4j ships inside its jar; any other ONNX model with a HuggingFace tokenizer.json can
 * be configured with {@link #fromFiles}. Inputs longer than the window are cut by {@link TokenWindow} using the same
 * tokenizer, so a huge prompt costs one window of inference, not many.
 */
public final class OnnxSentenceEncoder implements Encoder {
    /**
     * all-MiniLM-L6-v2 was trained on sequences of 128 word pieces. A 256 window (sentence-transformers' limit) gave
     * no better dev accuracy (trained softmax 0.850 either way, shipped router 0.603 vs 0.605) at twice the cost.
     */
    public static final int MINILM_WINDOW = 128;
    public static final String MINILM_ID = "all-minilm-l6-v2-q";

    private static final Executor CALLER_THREAD = Runnable::run;

    private final String id;
    private final OrtSession session;
    private final AbstractInProcessEmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final int dimension;
    private final int maxTokens;
    private final TokenWindow window;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private OnnxSentenceEncoder(String id, ByteBuffer onnxModel, byte[] tokenizerJson, PoolingMode pooling, int maxTokens)
            throws IOException {
        this.id = id;
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            this.session = env.createSession(onnxModel, sessionOptions());
            OnnxBertBiEncoder bertEncoder = new OnnxBertBiEncoder(env, session,
                    new ByteArrayInputStream(tokenizerJson), pooling);
            this.model = new AbstractInProcessEmbeddingModel(CALLER_THREAD) {
                @Override
                protected OnnxBertBiEncoder model() {
                    return bertEncoder;
                }
            };
        } catch (OrtException e) {
            throw new ChorusException("ONNX Runtime cannot load encoder " + id + ": " + e.getMessage(), e);
        }
        HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                tokenizerOptions());
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.window = new TokenWindow(maxTokens - 2); // [CLS] and [SEP]
        this.dimension = model.embed("dimension probe").content().dimension();
    }

    /** The default encoder: quantized all-MiniLM-L6-v2 (384 dimensions), bundled with LangChain4j. */
    public static OnnxSentenceEncoder miniLm() {
        return miniLm(MINILM_WINDOW);
    }

    /** all-MiniLM-L6-v2 with another input window (in word pieces, [CLS] and [SEP] included). */
    public static OnnxSentenceEncoder miniLm(int window) {
        try {
            // Read from LangChain4j's jar without initialising its model class, which would load a second copy.
            return new OnnxSentenceEncoder(MINILM_ID, offHeapResource("/all-minilm-l6-v2-q.onnx"),
                    jarResource("/all-minilm-l6-v2-q-tokenizer.json"), PoolingMode.MEAN, window);
        } catch (IOException e) {
            throw new ChorusException("cannot load the all-MiniLM-L6-v2 encoder: " + e.getMessage(), e);
        }
    }

    /**
     * The model goes to an off-heap buffer (ONNX Runtime copies it into its own memory anyway), so the Java heap never
     * has to grow to hold 23 MB it would keep resident afterwards.
     */
    private static ByteBuffer offHeapResource(String name) throws IOException {
        java.net.URL url = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResource(name);
        if (url == null) {
            throw new ChorusException(name + " (all-MiniLM-L6-v2) is missing from the classpath");
        }
        java.net.URLConnection connection = url.openConnection();
        return offHeap(connection.getInputStream(), connection.getContentLengthLong());
    }

    private static ByteBuffer offHeap(InputStream stream, long size) throws IOException {
        if (size <= 0 || size > Integer.MAX_VALUE) {
            throw new ChorusException("encoder model has an unusable size: " + size + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocateDirect((int) size);
        try (InputStream in = stream) {
            byte[] chunk = new byte[1 << 16];
            for (int n; (n = in.read(chunk)) > 0; ) {
                buffer.put(chunk, 0, n);
            }
        }
        if (buffer.hasRemaining()) {
            throw new ChorusException("encoder model ended early: " + buffer.position() + " of " + size + " bytes");
        }
        return buffer.flip();
    }

    private static byte[] jarResource(String name) throws IOException {
        try (InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new ChorusException(name + " (all-MiniLM-L6-v2) is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }

    /**
     * At most {@code chorus.router.threads} (default: available processors, capped at 4) intra-op threads: a
     * 384-wide model gains nothing from more, and the server's other work needs the cores.
     */
    private static OrtSession.SessionOptions sessionOptions() throws OrtException {
        int threads = Integer.getInteger("chorus.router.threads",
                Math.min(4, Runtime.getRuntime().availableProcessors()));
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        // Without the arena, freed activation buffers go back to the OS: about 10 MB less resident, same speed.
        options.setCPUArenaAllocator(false);
        // ONNX Runtime's intra-op threads otherwise spin-wait after every run: measured ~25 ms of CPU burnt per
        // 3 ms embedding, taken from the experts' decoding on a small machine (see docs/PERFORMANCE.md, Server).
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        return options;
    }

    /**
     * A user-supplied ONNX sentence encoder. Its id is "onnx:" plus the model file's name and the first 16 hex digits of
     * its SHA-256, so a router trained with it refuses a different model file.
     */
    public static OnnxSentenceEncoder fromFiles(Path modelFile, Path tokenizerJson, PoolingMode pooling, int maxTokens) {
        for (Path p : List.of(modelFile, tokenizerJson)) {
            if (!Files.isRegularFile(p)) {
                throw new ChorusException("encoder file not found: " + p);
            }
        }
        try {
            String id = "onnx:" + modelFile.getFileName() + ":" + sha256Prefix(modelFile);
            return new OnnxSentenceEncoder(id, offHeap(Files.newInputStream(modelFile), Files.size(modelFile)),
                    Files.readAllBytes(tokenizerJson),
                    pooling, maxTokens);
        } catch (IOException e) {
            throw new ChorusException("cannot load encoder " + modelFile + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> tokenizerOptions() {
        return Map.of("padding", "false", "truncation", "false", "addSpecialTokens", "false");
    }

    private static String sha256Prefix(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public int maxTokens() {
        return maxTokens;
    }

    /** Number of the encoder's tokens in {@code text}, special tokens excluded. */
    public int tokenCount(String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    /** The text the encoder actually sees: {@code text} itself, or its head and tail when it overflows the window. */
    public String fitToWindow(String text) {
        Encoding enc = tokenizer.encode(text, false, false);
        CharSpan[] spans = enc.getCharTokenSpans();
        int[] starts = new int[spans.length];
        int[] ends = new int[spans.length];
        int n = 0;
        for (CharSpan span : spans) {
            if (span == null) {
                continue;
            }
            starts[n] = span.getStart();
            ends[n] = span.getEnd();
            n++;
        }
        return window.apply(text, java.util.Arrays.copyOf(starts, n), java.util.Arrays.copyOf(ends, n));
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        for (String t : texts) {
            segments.add(TextSegment.from(fitToWindow(t)));
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        List<float[]> out = new ArrayList<>(embeddings.size());
        for (Embedding e : embeddings) {
            out.add(Vectors.normalized(e.vector()));
        }
        return out;
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        tokenizer.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot release the ONNX session", e);
        }
    }
}
