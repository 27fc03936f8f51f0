package dev.chorus.sampling;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.SharedData;
import dev.chorus.gguf.GgufFile;
import dev.chorus.tokenizer.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JSON mode on real vocabularies (llama.cpp's vocab-only files): with random logits and the sampler's own draws,
 * every answer is a valid start of a JSON object after every token, and an answer the constraint calls complete is
 * one object by Jackson's strict parse.
 */
class JsonConstraintTest {
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @ParameterizedTest
    @ValueSource(strings = {"vocab/ggml-vocab-llama-bpe.gguf", "vocab/ggml-vocab-llama-spm.gguf",
            "vocab/ggml-vocab-qwen2.gguf"})
    void randomDrawsStayOnePossibleObjectAndCompleteOnesParse(String file) throws Exception {
        Tokenizer tokenizer;
        try (GgufFile f = GgufFile.open(SharedData.require(file))) {
            tokenizer = Tokenizer.fromGguf(f.metadata());
        }
        JsonVocabulary vocabulary = JsonVocabulary.of(tokenizer);
        int vocab = tokenizer.vocabSize();
        int complete = 0;
        for (int seed = 0; seed < 8; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            Sampler sampler = new Sampler(new SamplerConfig(1f, 40, 1f, 0f, 1f, 0f, 0f, -1, seed));
            JsonConstraint constraint = new JsonConstraint(vocabulary);
            StringBuilder answer = new StringBuilder();
            byte[] bytes = new byte[0];
            float[] logits = new float[vocab];
            for (int step = 0; step < 400 && !constraint.complete(); step++) {
                for (int i = 0; i < vocab; i++) {
                    logits[i] = random.nextFloat() * 8;
                }
                int token = sampler.sample(logits, 0, vocab, null, constraint);
                assertThat(token).as("some token always continues the object").isNotNegative();
                assertThat(tokenizer.isEndOfGeneration(token)).as("no end before the object closes").isFalse();
                constraint.accept(token);
                byte[] piece = tokenizer.tokenBytes(token);
                byte[] joined = new byte[bytes.length + piece.length];
                System.arraycopy(bytes, 0, joined, 0, bytes.length);
                System.arraycopy(piece, 0, joined, bytes.length, piece.length);
                bytes = joined;
                assertThat(new JsonGrammar().accept(bytes)).as(new String(bytes, StandardCharsets.UTF_8)).isTrue();
            }
            if (constraint.complete()) {
                complete++;
                String text = new String(bytes, StandardCharsets.UTF_8);
                assertThat(STRICT.readTree(text).isObject()).as(text).isTrue();
                // once complete, only end-of-generation tokens remain
                java.util.Arrays.fill(logits, 0f);
                assertThat(constraint.mask(logits, 0, vocab)).isPositive();
                for (int i = 0; i < vocab; i++) {
                    assertThat(logits[i] == 0f).isEqualTo(tokenizer.isEndOfGeneration(i));
                }
            }
        }
        assertThat(complete).as("random draws close the object within 400 tokens").isPositive();
    }
}
