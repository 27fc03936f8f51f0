package dev.chorus.router;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.chorus.ChorusException;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A BERT-style ONNX sentence encoder run in-process by ONNX Runtime, called directly: Chorus's own WordPiece tokenizer
 * ({@link BertTokenizer}), one session run per text over exactly its tokens (no padding), then pooling and
 * L2-normalisation in Java. The default is the quantized all-MiniLM-L6-v2 that LangChain4j ships inside its jar; any
 * other ONNX model with a BERT WordPiece tokenizer.json can be configured with {@link #fromFiles}. Inputs longer than
 * the window are cut by {@link TokenWindow}, so a huge prompt costs one window of inference.
 */
public final class OnnxSentenceEncoder implements Encoder {
    /**
     * Routing window of the default encoder, in word pieces with [CLS] and [SEP]. all-MiniLM-L6-v2 was trained on 128,
     * but on the shared dev set 96 scored the same (trained router 0.840 vs 0.846 accuracy, shipped 0.611 vs 0.607)
     * at three quarters of the cost, which is what brings a long prompt under 5 ms on two cores; 64 cost 2.5 points
     * (docs/ROUTER.md, "Long prompts").
     */
    public static final int MINILM_WINDOW = 96;
    public static final String MINILM_ID = "all-minilm-l6-v2-q";
    /** The smallest window: 16 content tokens (12 from the head, the ellipsis, 1 from the tail) plus [CLS], [SEP]. */
    public static final int MIN_WINDOW = 18;
    private static final String MINILM_JAR_CLASS =
            "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel";

    private final String id;
    private final OrtEnvironment env;
    private final OrtSession session;
    private final BertTokenizer tokenizer;
    private final Pooling pooling;
    private final boolean needsTokenTypes;
    private final String outputName;
    private final int dimension;
    private final int maxTokens;
    private final TokenWindow window;
    private final int[] ellipsis;
    private final AtomicBoolean closed = new AtomicBoolean();

    private OnnxSentenceEncoder(String id, ModelBytes onnxModel, byte[] tokenizerJson, Pooling pooling, int maxTokens)
            throws IOException {
        if (maxTokens < MIN_WINDOW) {
            throw new ChorusException("encoder window must be at least " + MIN_WINDOW
                    + " tokens ([CLS] and [SEP] included), got " + maxTokens);
        }
        this.id = id;
        this.pooling = pooling;
        this.tokenizer = BertTokenizer.fromJson(tokenizerJson);
        this.maxTokens = maxTokens;
        this.window = new TokenWindow(maxTokens - 2); // [CLS] and [SEP]
        this.ellipsis = tokenizer.encode("...");
        this.env = OrtEnvironment.getEnvironment();
        OrtSession opened = null;
        try {
            opened = openSession(env, onnxModel);
            this.session = opened;
            Set<String> inputs = opened.getInputNames();
            if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
                throw new ChorusException("encoder " + id + " must take input_ids and attention_mask; it takes " + inputs);
            }
            this.needsTokenTypes = inputs.contains("token_type_ids");
            this.outputName = tokenOutput(opened.getOutputInfo());
            this.dimension = outputDimension();
        } catch (OrtException | RuntimeException e) {
            closeQuietly(opened);
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new ChorusException("ONNX Runtime cannot load encoder " + id + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException ignored) {
                // already failing; the first error is the one to report
            }
        }
    }

    /** The per-token output: last_hidden_state (or token_embeddings), else the first output of rank 3. */
    private static String tokenOutput(Map<String, NodeInfo> outputs) {
        for (String preferred : List.of("last_hidden_state", "token_embeddings")) {
            if (outputs.containsKey(preferred)) {
                return preferred;
            }
        }
        for (Map.Entry<String, NodeInfo> e : outputs.entrySet()) {
            if (e.getValue().getInfo() instanceof TensorInfo t && t.getShape().length == 3) {
                return e.getKey();
            }
        }
        throw new ChorusException("the encoder has no per-token output of shape [batch, tokens, dim]: " + outputs.keySet());
    }

    /** The default encoder: quantized all-MiniLM-L6-v2 (384 dimensions), bundled with LangChain4j. */
    public static OnnxSentenceEncoder miniLm() {
        return miniLm(MINILM_WINDOW);
    }

    /** all-MiniLM-L6-v2 with another input window (in word pieces, [CLS] and [SEP] included). */
    public static OnnxSentenceEncoder miniLm(int window) {
        try {
            // Read from LangChain4j's jar without initialising its model class, which would load a second copy.
            Class<?> owner = Class.forName(MINILM_JAR_CLASS, false, OnnxSentenceEncoder.class.getClassLoader());
            return new OnnxSentenceEncoder(MINILM_ID, jarModel(owner, "/all-minilm-l6-v2-q.onnx"),
                    jarResource(owner, "/all-minilm-l6-v2-q-tokenizer.json"), Pooling.MEAN, window);
        } catch (IOException | ClassNotFoundException e) {
            throw new ChorusException("cannot load the all-MiniLM-L6-v2 encoder: " + e.getMessage(), e);
        }
    }

    /** Where the model's bytes come from; they live in {@code arena} only while the session is being built. */
    @FunctionalInterface
    private interface ModelBytes {
        MemorySegment load(Arena arena) throws IOException;
    }

    /**
     * ONNX Runtime copies what it needs out of the model bytes, so they are held in an arena that is closed as soon as
     * the session exists: the 23 MB neither stay resident nor wait for the garbage collector, and never touch the heap.
     */
    private static OrtSession openSession(OrtEnvironment env, ModelBytes model) throws IOException, OrtException {
        try (Arena arena = Arena.ofConfined(); OrtSession.SessionOptions options = OnnxSessionOptions.create()) {
            return env.createSession(model.load(arena).asByteBuffer(), options);
        }
    }

    private static ModelBytes jarModel(Class<?> owner, String name) {
        return arena -> {
            java.net.URL url = owner.getResource(name);
            if (url == null) {
                throw new ChorusException(name + " (all-MiniLM-L6-v2) is missing from the classpath");
            }
            java.net.URLConnection connection = url.openConnection();
            long size = connection.getContentLengthLong();
            if (size <= 0 || size > Integer.MAX_VALUE) {
                throw new ChorusException(name + " has an unusable size: " + size + " bytes");
            }
            MemorySegment segment = arena.allocate(size);
            try (InputStream in = connection.getInputStream()) {
                byte[] chunk = new byte[1 << 16];
                long at = 0;
                for (int n; (n = in.read(chunk)) > 0 && at < size; at += n) {
                    MemorySegment.copy(chunk, 0, segment, ValueLayout.JAVA_BYTE, at, (int) Math.min(n, size - at));
                }
                if (at != size) {
                    throw new ChorusException(name + " ended early: " + at + " of " + size + " bytes");
                }
            }
            return segment;
        };
    }

    /** A model file is mapped, not read: the page cache holds it while the session is built. */
    private static ModelBytes fileModel(Path file) {
        return arena -> {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                if (channel.size() == 0 || channel.size() > Integer.MAX_VALUE) {
                    throw new ChorusException("encoder model " + file + " has an unusable size: " + channel.size() + " bytes");
                }
                return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
            }
        };
    }

    private static byte[] jarResource(Class<?> owner, String name) throws IOException {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new ChorusException(name + " (all-MiniLM-L6-v2) is missing from the classpath");
            }
            return in.readAllBytes();
        }
    }

    /**
     * A user-supplied ONNX sentence encoder with a BERT WordPiece tokenizer.json. Its id is "onnx:" plus the model file's
     * name and the first 16 hex digits of its SHA-256, so a router trained with it refuses a different model file.
     */
    public static OnnxSentenceEncoder fromFiles(Path modelFile, Path tokenizerJson, Pooling pooling, int maxTokens) {
        for (Path p : List.of(modelFile, tokenizerJson)) {
            if (!Files.isRegularFile(p)) {
                throw new ChorusException("encoder file not found: " + p);
            }
        }
        try {
            String id = "onnx:" + modelFile.getFileName() + ":" + sha256Prefix(modelFile);
            return new OnnxSentenceEncoder(id, fileModel(modelFile),
                    Files.readAllBytes(tokenizerJson), pooling, maxTokens);
        } catch (IOException e) {
            throw new ChorusException("cannot load encoder " + modelFile + ": " + e.getMessage(), e);
        }
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

    /** ONNX Runtime intra-op threads of the encoder sessions this JVM opens ({@code -Dchorus.router.threads}). */
    public static int sessionThreads() {
        return OnnxSessionOptions.threads();
    }

    /** Whether those threads spin-wait inside a run ({@code -Dchorus.router.spin}). */
    public static boolean sessionSpinning() {
        return OnnxSessionOptions.spinning();
    }

    /** Number of the encoder's tokens in {@code text}, special tokens excluded. */
    public int tokenCount(String text) {
        return tokenizer.encode(text).length;
    }

    /** The word pieces the encoder actually sees for {@code text} ([CLS] and [SEP] excluded), after the window cut. */
    public List<String> windowTokens(String text) {
        List<String> out = new ArrayList<>();
        for (int id : window.fit(text, tokenizer::encode, tokenizer::isWordBoundary, ellipsis)) {
            out.add(tokenizer.token(id));
        }
        return out;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            int[] content = window.fit(text, tokenizer::encode, tokenizer::isWordBoundary, ellipsis);
            int[] ids = new int[content.length + 2];
            ids[0] = tokenizer.clsId();
            System.arraycopy(content, 0, ids, 1, content.length);
            ids[ids.length - 1] = tokenizer.sepId();
            try {
                out.add(Vectors.normalized(embedIds(ids)));
            } catch (OrtException e) {
                throw new ChorusException("encoder " + id + " failed: " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * One session run over exactly these ids (a batch of one, so no padding), pooled. Inputs and the output live in a
     * confined arena for the length of the call: ONNX Runtime reads and writes them in place, nothing is copied onto
     * the Java heap (a 96-token output is 147 KB), and the memory is freed on return.
     */
    private float[] embedIds(int[] ids) throws OrtException {
        if (closed.get()) {
            throw new IllegalStateException("encoder " + id + " is closed");
        }
        int n = ids.length;
        try (Arena arena = Arena.ofConfined(); Inputs inputs = inputs(arena, ids)) {
            FloatBuffer hidden = arena.allocate((long) n * dimension * Float.BYTES, 64).asByteBuffer()
                    .order(ByteOrder.nativeOrder()).asFloatBuffer();
            try (OnnxTensor output = OnnxTensor.createTensor(env, hidden, new long[]{1, n, dimension});
                 OrtSession.Result ignored = session.run(inputs.byName(), Map.of(outputName, output))) {
                return pool(hidden, n, dimension);
            }
        }
    }

    /** The output width, from the model's metadata or, when that leaves it open, from one run. */
    private int outputDimension() throws OrtException {
        if (session.getOutputInfo().get(outputName).getInfo() instanceof TensorInfo t && t.getShape()[2] > 0) {
            return (int) t.getShape()[2];
        }
        int[] probe = {tokenizer.clsId(), tokenizer.sepId()};
        try (Arena arena = Arena.ofConfined(); Inputs inputs = inputs(arena, probe);
             OrtSession.Result result = session.run(inputs.byName(), Set.of(outputName))) {
            long[] shape = ((OnnxTensor) result.get(0)).getInfo().getShape();
            if (shape.length != 3 || shape[1] != 2) {
                throw new ChorusException("encoder " + id + " returned shape " + java.util.Arrays.toString(shape)
                        + " for 2 tokens; expected [1, 2, dim]");
            }
            return (int) shape[2];
        }
    }

    /** The input tensors of one text, over native memory of {@code arena}. */
    private record Inputs(OnnxTensor ids, OnnxTensor mask, OnnxTensor types) implements AutoCloseable {
        Map<String, OnnxTensor> byName() {
            return types == null ? Map.of("input_ids", ids, "attention_mask", mask)
                    : Map.of("input_ids", ids, "attention_mask", mask, "token_type_ids", types);
        }

        @Override
        public void close() {
            ids.close();
            mask.close();
            if (types != null) {
                types.close();
            }
        }
    }

    private Inputs inputs(Arena arena, int[] ids) throws OrtException {
        int n = ids.length;
        long[] shape = {1, n};
        LongBuffer idBuffer = longs(arena, n);
        LongBuffer maskBuffer = longs(arena, n);
        for (int i = 0; i < n; i++) {
            idBuffer.put(i, ids[i]);
            maskBuffer.put(i, 1);
        }
        OnnxTensor idTensor = OnnxTensor.createTensor(env, idBuffer, shape);
        OnnxTensor maskTensor = null;
        try {
            maskTensor = OnnxTensor.createTensor(env, maskBuffer, shape);
            OnnxTensor typeTensor = needsTokenTypes ? OnnxTensor.createTensor(env, longs(arena, n), shape) : null;
            return new Inputs(idTensor, maskTensor, typeTensor);
        } catch (OrtException | RuntimeException e) {
            idTensor.close();
            if (maskTensor != null) {
                maskTensor.close();
            }
            throw e;
        }
    }

    private float[] pool(FloatBuffer hidden, int tokens, int dim) {
        float[] v = new float[dim];
        if (pooling == Pooling.CLS) {
            hidden.get(0, v);
            return v;
        }
        float[] row = new float[dim];
        for (int t = 0; t < tokens; t++) {
            hidden.get(t * dim, row);
            for (int d = 0; d < dim; d++) {
                v[d] += row[d];
            }
        }
        for (int d = 0; d < dim; d++) {
            v[d] /= tokens;
        }
        return v;
    }

    /** Zeroed, native-order longs in {@code arena}: ONNX Runtime reads them in place instead of copying. */
    private static LongBuffer longs(Arena arena, int n) {
        return arena.allocate((long) n * Long.BYTES, 64).asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot release the ONNX session", e);
        }
    }
}
