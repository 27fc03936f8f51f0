package dev.chorus.serve.local;

import dev.chorus.sampling.JsonConstraint;
import dev.chorus.sampling.JsonVocabulary;
import dev.chorus.sampling.TokenConstraint;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.OutputFormat;
import dev.chorus.serve.TokenSink;
import dev.chorus.tokenizer.Tokenizer;

import java.util.stream.IntStream;

/**
 * What an expert's answers are made of: its tokenizer, its end-of-generation ids and, built on first use (JSON
 * mode), the view of its vocabulary that constrained decoding needs. One per expert, shared by its sequences.
 */
final class OutputVocabulary {
    private final Tokenizer tokenizer;
    /** Every end-of-generation token id, banned when a request asks to ignore EOS. */
    private final int[] endOfGeneration;
    private volatile JsonVocabulary json;

    OutputVocabulary(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.endOfGeneration = IntStream.range(0, tokenizer.vocabSize()).filter(tokenizer::isEndOfGeneration)
                .toArray();
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    int[] endOfGeneration() {
        return endOfGeneration;
    }

    /** A picker for one request's answer. */
    TokenPicker picker(GenerationRequest request, TokenSink sink) {
        return new TokenPicker(request, this, sink, constraint(request.format()));
    }

    private TokenConstraint constraint(OutputFormat format) {
        return switch (format) {
            case TEXT -> null;
            case JSON_OBJECT -> new JsonConstraint(json());
        };
    }

    private JsonVocabulary json() {
        JsonVocabulary j = json;
        if (j == null) {
            synchronized (this) {
                if (json == null) {
                    json = JsonVocabulary.of(tokenizer);
                }
                j = json;
            }
        }
        return j;
    }
}
