package dev.chorus.model;

import dev.chorus.ChorusException;
import dev.chorus.tensor.ComputePool;
import dev.chorus.gguf.GgufFile;
import dev.chorus.gguf.GgufMetadata;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loaded model: configuration, zero-copy weights and the compute threads. Immutable and shareable; the mutable
 * parts are {@link Sequence} (KV state, one per conversation) and {@link Engine} (activation buffers, one per caller).
 */
public final class Model implements AutoCloseable {
    private final GgufFile file;
    private final boolean ownsFile;
    private final ModelConfig config;
    private final ModelWeights weights;
    private final ModelOptions options;
    private final int contextLength;
    private final ComputePool threads;
    private final Set<Sequence> liveSequences = ConcurrentHashMap.newKeySet();

    private Model(GgufFile file, boolean ownsFile, ModelOptions options) {
        this.file = file;
        this.ownsFile = ownsFile;
        this.config = ModelConfig.fromMetadata(file.metadata());
        this.weights = WeightLoader.load(file, config);
        this.options = options;
        this.contextLength = options.contextLength() > 0 ? options.contextLength() : config.contextLength();
        this.threads = new ComputePool(options.threads());
    }

    /** Binds a model to an open GGUF file, which the caller keeps open for the model's lifetime and closes. */
    public static Model load(GgufFile file, ModelOptions options) {
        return new Model(file, false, options);
    }

    /** Opens a GGUF file and loads it; closing the model closes the file. */
    public static Model open(Path path, ModelOptions options) throws IOException {
        GgufFile f = GgufFile.open(path);
        try {
            return new Model(f, true, options);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    public ModelConfig config() {
        return config;
    }

    public ModelWeights weights() {
        return weights;
    }

    public ModelOptions options() {
        return options;
    }

    public GgufFile file() {
        return file;
    }

    public GgufMetadata metadata() {
        return file.metadata();
    }

    public int vocabSize() {
        return weights.tokenEmbedding().rows();
    }

    /** Positions per sequence. */
    public int contextLength() {
        return contextLength;
    }

    ComputePool threads() {
        return threads;
    }

    /** A new, empty sequence. */
    public Sequence newSequence() {
        Sequence s = new Sequence(this, KvCache.create(options.kvType(), config, contextLength));
        liveSequences.add(s);
        return s;
    }

    /** A new engine with activation buffers for batches of up to {@link ModelOptions#maxBatch()} entries. */
    public Engine newEngine() {
        return new Engine(this, options.maxBatch());
    }

    void forget(Sequence s) {
        liveSequences.remove(s);
    }

    /** Bytes of weight data (mapped from the file, not copied). */
    public long weightBytes() {
        return weights.byteSize();
    }

    /** KV cache bytes one position takes in every sequence. */
    public long kvBytesPerPosition() {
        int elem = options.kvType() == KvType.F32 ? 4 : 2;
        return (long) elem * (config.keyWidth() + config.valueWidth()) * config.blockCount();
    }

    /** Bytes held by the KV caches of all open sequences. */
    public long stateBytes() {
        long n = 0;
        for (Sequence s : liveSequences) {
            n += s.stateBytes();
        }
        return n;
    }

    /**
     * Teacher-forced log-probabilities: element i is ln p(continuation[i] | prompt, continuation[0..i)).
     * The prompt must not be empty (it usually starts with BOS).
     */
    public double[] tokenLogProbs(int[] prompt, int[] continuation) {
        if (prompt.length == 0) {
            throw new ChorusException("tokenLogProbs needs at least one prompt token");
        }
        int[] all = new int[prompt.length + continuation.length];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(continuation, 0, all, prompt.length, continuation.length);
        double[] out = new double[continuation.length];
        Engine engine = newEngine();
        try (Sequence seq = newSequence()) {
            Batch batch = new Batch(options.maxBatch());
            int firstScored = prompt.length - 1;
            for (int start = 0; start < all.length - 1; start += batch.capacity()) {
                int end = Math.min(all.length - 1, start + batch.capacity());
                batch.clear();
                for (int i = start; i < end; i++) {
                    batch.add(seq, i, all[i], i >= firstScored);
                }
                Logits logits = engine.forward(batch);
                for (int r = 0; r < logits.rows(); r++) {
                    int pos = batch.position(logits.entry(r));
                    out[pos - firstScored] = LogSoftmax.logProb(logits.array(), logits.offset(r), vocabSize(), all[pos + 1]);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        threads.close();
        if (ownsFile) {
            file.close();
        }
    }
}
