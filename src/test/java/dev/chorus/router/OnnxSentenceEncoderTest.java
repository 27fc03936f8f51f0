package dev.chorus.router;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OnnxSentenceEncoderTest {
    private static OnnxSentenceEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = OnnxSentenceEncoder.miniLm();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embedsToUnitVectorsOfTheModelDimension() {
        float[] v = encoder.embed("How do I reverse a linked list in Java?");
        assertThat(v).hasSize(384);
        assertThat(Vectors.dot(v, v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(encoder.id()).isEqualTo("all-minilm-l6-v2-q");
    }

    @Test
    void similarMeaningsAreCloserThanUnrelatedOnes() {
        List<float[]> v = encoder.embed(List.of(
                "Write a Python function that sorts a list of numbers.",
                "Implement a sorting routine for an integer array in Java.",
                "What is the capital of France?"));
        assertThat(Vectors.dot(v.get(0), v.get(1))).isGreaterThan(Vectors.dot(v.get(0), v.get(2)) + 0.2);
    }

    @Test
    void batchEqualsOneByOne() {
        List<String> texts = List.of("first text about cats", "second text, about the stock market");
        List<float[]> batch = encoder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] single = encoder.embed(texts.get(i));
            assertThat(Vectors.dot(batch.get(i), single)).isGreaterThan(0.9999);
        }
    }

    @Test
    void hugePromptIsCutToTheWindowKeepingHeadAndTail() {
        String head = "Please summarise the following log file.";
        String tail = "What went wrong at the end?";
        String huge = head + " " + "error 42 at module alpha; ".repeat(40_000) + tail;
        List<String> seen = encoder.windowTokens(huge);
        assertThat(seen).hasSize(OnnxSentenceEncoder.MINILM_WINDOW - 2);
        assertThat(String.join(" ", seen)).startsWith("please sum ##mar ##ise the following log file . error 42 at module alpha ;")
                .endsWith("module alpha ; what went wrong at the end ?").contains(" . . . ");
        float[] v = encoder.embed(huge);
        assertThat(v).hasSize(384);
        assertThat(encoder.windowTokens("a short prompt")).containsExactly("a", "short", "prompt");
    }

    @Test
    void aWindowTooSmallForHeadEllipsisAndTailIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OnnxSentenceEncoder.miniLm(8))
                .isInstanceOf(dev.chorus.ChorusException.class)
                .hasMessage("encoder window must be at least 18 tokens ([CLS] and [SEP] included), got 8");
    }

    /** The reference: LangChain4j's own pipeline for the same model (DJL tokenizer, padded batch, mean pooling). */
    @Test
    void embeddingsMatchLangChain4jsPipelineForTheSameModel() {
        var reference = new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel();
        List<String> texts = List.of("How do I reverse a linked list in Java?", "Café au lait, s'il vous plaît!",
                "Solve 3x + 7 = 22 for x.", "Pretend you are a pirate captain and greet the crew.",
                "中文 text with [SEP] inside and a 😀", "Summarise: " + "the cat sat on the mat. ".repeat(10));
        List<float[]> ours = encoder.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
            float[] expected = Vectors.normalized(reference.embed(texts.get(i)).content().vector());
            assertThat(Vectors.dot(ours.get(i), expected)).as(texts.get(i)).isGreaterThan(0.9999);
        }
    }
}
