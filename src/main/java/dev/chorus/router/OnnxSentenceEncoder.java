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
import java.nio.ByteBuffer;
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
     * Routing window of the default encoder, in word pieces with [CLS] and [SEP]. all-MiniLM-L6-v2 was trained on 128;
     * the cost grows with the window while accuracy on the shared dev set did not (docs/ROUTER.md, "Long prompts").
     */
    public static final int MINILM_WINDOW = 128;
    public static final String MINILM_ID = "all-minilm-l6-v2-q";
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

    private OnnxSentenceEncoder(String id, ByteBuffer onnxModel, byte[] tokenizerJson, Pooling pooling, int maxTokens) {
        this.id = id;
        this.pooling = pooling;
        this.tokenizer = BertTokenizer.fromJson(tokenizerJson);
        this.maxTokens = maxTokens;
        this.window = new TokenWindow(maxTokens - 2); // [CLS] and [SEP]
        this.ellipsis = tokenizer.encode("...");
        this.env = OrtEnvironment.getEnvironment();
        OrtSession opened = null;
        try {
            opened = env.createSession(onnxModel, OnnxSessionOptions.create());
            this.session = opened;
            Set<String> inputs = opened.getInputNames();
            if (!inputs.contains("input_ids") || !inputs.contains("attention_mask")) {
                throw new ChorusException("encoder " + id + " must take input_ids and attention_mask; it takes " + inputs);
            }
            this.needsTokenTypes = inputs.contains("token_type_ids");
            this.outputName = tokenOutput(opened.getOutputInfo());
            this.dimension = embedIds(new int[]{tokenizer.clsId(), tokenizer.sepId()}).length;
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
            return new OnnxSentenceEncoder(MINILM_ID, offHeapResource(owner, "/all-minilm-l6-v2-q.onnx"),
                    jarResource(owner, "/all-minilm-l6-v2-q-tokenizer.json"), Pooling.MEAN, window);
        } catch (IOException | ClassNotFoundException e) {
            throw new ChorusException("cannot load the all-MiniLM-L6-v2 encoder: " + e.getMessage(), e);
        }
    }

    /**
     * The model goes to an off-heap buffer (ONNX Runtime copies it into its own memory anyway), so the Java heap never
     * has to grow to hold 23 MB it would keep resident afterwards.
     */
    private static ByteBuffer offHeapResource(Class<?> owner, String name) throws IOException {
        java.net.URL url = owner.getResource(name);
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
            return new OnnxSentenceEncoder(id, offHeap(Files.newInputStream(modelFile), Files.size(modelFile)),
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

    /** Number of the encoder's tokens in {@code text}, special tokens excluded. */
    public int tokenCount(String text) {
        return tokenizer.encode(text).length;
    }

    /** The word pieces the encoder actually sees for {@code text} ([CLS] and [SEP] excluded), after the window cut. */
    public List<String> windowTokens(String text) {
        List<String> out = new ArrayList<>();
        for (int id : window.fit(text, tokenizer::encode, ellipsis)) {
            out.add(tokenizer.token(id));
        }
        return out;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            int[] content = window.fit(text, tokenizer::encode, ellipsis);
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

    /** One session run over exactly these ids (batch of one, so no padding), pooled. */
    private float[] embedIds(int[] ids) throws OrtException {
        if (closed.get()) {
            throw new IllegalStateException("encoder " + id + " is closed");
        }
        int n = ids.length;
        long[] shape = {1, n};
        LongBuffer idBuffer = directLongs(n);
        LongBuffer maskBuffer = directLongs(n);
        for (int i = 0; i < n; i++) {
            idBuffer.put(i, ids[i]);
            maskBuffer.put(i, 1);
        }
        try (OnnxTensor idTensor = OnnxTensor.createTensor(env, idBuffer, shape);
             OnnxTensor maskTensor = OnnxTensor.createTensor(env, maskBuffer, shape);
             OnnxTensor typeTensor = needsTokenTypes ? OnnxTensor.createTensor(env, directLongs(n), shape) : null) {
            Map<String, OnnxTensor> inputs = needsTokenTypes
                    ? Map.of("input_ids", idTensor, "attention_mask", maskTensor, "token_type_ids", typeTensor)
                    : Map.of("input_ids", idTensor, "attention_mask", maskTensor);
            try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                long[] outShape = out.getInfo().getShape();
                if (outShape.length != 3 || outShape[1] != n) {
                    throw new ChorusException("encoder " + id + " returned shape " + java.util.Arrays.toString(outShape)
                            + " for " + n + " tokens; expected [1, " + n + ", dim]");
                }
                return pool(out.getFloatBuffer(), n, (int) outShape[2]);
            }
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

    /** Zeroed, native-order direct longs: ONNX Runtime reads them in place instead of copying. */
    private static LongBuffer directLongs(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
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
