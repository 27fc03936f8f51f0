package dev.chorus.cli;

import dev.chorus.ChorusException;
import dev.chorus.router.CachingEncoder;
import dev.chorus.router.Encoder;
import dev.chorus.router.OnnxSentenceEncoder;
import dev.chorus.router.Pooling;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Options that select the sentence encoder (default: the bundled all-MiniLM-L6-v2). */
final class EncoderOptions {
    @Option(names = "--encoder-onnx", paramLabel = "MODEL.onnx",
            description = "Use this ONNX sentence-embedding model instead of the bundled all-MiniLM-L6-v2.")
    Path onnx;

    @Option(names = "--encoder-tokenizer", paramLabel = "tokenizer.json",
            description = "HuggingFace tokenizer.json of --encoder-onnx.")
    Path tokenizer;

    @Option(names = "--encoder-pooling", defaultValue = "MEAN", description = "Pooling of --encoder-onnx: MEAN or CLS.")
    Pooling pooling;

    @Option(names = "--encoder-window", defaultValue = "128",
            description = "Input window of --encoder-onnx in tokens; longer prompts are cut (default ${DEFAULT-VALUE}).")
    int window;

    static final int CACHE_ENTRIES = 4096;

    Encoder open() {
        if (onnx == null && tokenizer == null) {
            return new CachingEncoder(OnnxSentenceEncoder.miniLm(), CACHE_ENTRIES);
        }
        if (onnx == null || tokenizer == null) {
            throw new ChorusException("--encoder-onnx and --encoder-tokenizer must be given together");
        }
        return new CachingEncoder(OnnxSentenceEncoder.fromFiles(onnx, tokenizer, pooling, window), CACHE_ENTRIES);
    }
}
