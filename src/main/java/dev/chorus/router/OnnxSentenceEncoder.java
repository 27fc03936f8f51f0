package dev.chorus.router;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import dev.chorus.ChorusException;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

import java.io.IOException;
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
    /** all-MiniLM-L6-v2 was trained with 128 and is used by sentence-transformers with at most 256 word pieces. */
    public static final int MINILM_WINDOW = 256;
    public static final String MINILM_ID = "all-minilm-l6-v2-q";

    private static final Executor CALLER_THREAD = Runnable::run;

    private final String id;
    private final AbstractInProcessEmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final int dimension;
    private final int maxTokens;
    private final TokenWindow window;

    private OnnxSentenceEncoder(String id, AbstractInProcessEmbeddingModel model, HuggingFaceTokenizer tokenizer,
                                int maxTokens) {
        this.id = id;
        this.model = model;
        this.tokenizer = tokenizer;
        this.maxTokens = maxTokens;
        this.window = new TokenWindow(maxTokens - 2); // [CLS] and [SEP]
        this.dimension = model.embed("dimension probe").content().dimension();
    }

    /** The default encoder: quantized all-MiniLM-L6-v2 (384 dimensions), bundled with LangChain4j. */
    public static OnnxSentenceEncoder miniLm() {
        try (InputStream json = AllMiniLmL6V2QuantizedEmbeddingModel.class
                .getResourceAsStream("/all-minilm-l6-v2-q-tokenizer.json")) {
            if (json == null) {
                throw new ChorusException("the all-MiniLM-L6-v2 tokenizer is missing from the classpath");
            }
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json, tokenizerOptions());
            // The caller-thread executor keeps ONNX work on the routing thread instead of a cached pool.
            return new OnnxSentenceEncoder(MINILM_ID, new AllMiniLmL6V2QuantizedEmbeddingModel(CALLER_THREAD),
                    tokenizer, MINILM_WINDOW);
        } catch (IOException e) {
            throw new ChorusException("cannot load the all-MiniLM-L6-v2 tokenizer: " + e.getMessage(), e);
        }
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
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, tokenizerOptions());
            String id = "onnx:" + modelFile.getFileName() + ":" + sha256Prefix(modelFile);
            return new OnnxSentenceEncoder(id, new OnnxEmbeddingModel(modelFile, tokenizerJson, pooling, CALLER_THREAD),
                    tokenizer, maxTokens);
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
        tokenizer.close();
    }
}
