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
        String huge = head + " " + "error 42 at module alpha; ".repeat(20_000) + tail;
        String fitted = encoder.fitToWindow(huge);
        assertThat(fitted).startsWith(head).endsWith(tail).contains(" ... ");
        assertThat(fitted.length()).isLessThan(2_000);
        long start = System.nanoTime();
        float[] v = encoder.embed(huge);
        assertThat(v).hasSize(384);
        String shortText = "a short prompt";
        assertThat(encoder.fitToWindow(shortText)).isSameAs(shortText);
    }
}
