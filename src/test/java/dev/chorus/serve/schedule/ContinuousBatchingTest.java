package dev.chorus.serve.schedule;

import dev.chorus.SharedData;
import dev.chorus.memory.ExpertStore;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.local.BatchSession;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Continuous batching on a real model (stories260K): a batch decodes every sequence exactly as it decodes alone. */
class ContinuousBatchingTest {
    private static final List<String> PROMPTS = List.of("Once upon a time", "The cat sat", "Lily wanted to play",
            "One day a little boy named Tom went to the park with his mom and saw a big red ball");
    private static final int[] MAX_TOKENS = {24, 9, 31, 17};
    private static ExpertStore<ModelRuntime> store;
    private static LocalExpert expert;

    @BeforeAll
    static void open() throws Exception {
        Path file = SharedData.require("models/stories260K.gguf");
        store = ExpertStore.builder(new ModelRuntime.Factory(1, 8)).hotMemory(1L << 30).warmMemory(1L << 30).build();
        store.register("stories", file);
        expert = LocalExpert.open("stories", "", file, store);
    }

    @AfterAll
    static void close() {
        if (store != null) {
            store.close();
        }
    }

    private static GenerationJob job(int i, RecordingSink sink, CancellationToken cancel) {
        GenerationRequest request = new GenerationRequest(new PromptInput.Text(PROMPTS.get(i)),
                SamplingSettings.greedy(), MAX_TOKENS[i], List.of(), -1, true);
        return new GenerationJob(expert, expert.prepare(request.input()), request, sink, cancel, System.nanoTime());
    }

    private static List<Integer> alone(int i) {
        RecordingSink sink = new RecordingSink();
        try (BatchSession s = expert.openBatch()) {
            s.join(job(i, sink, new CancellationToken()));
            while (s.active() > 0) {
                s.step();
            }
        }
        assertThat(sink.finish).isEqualTo(FinishReason.LENGTH);
        return sink.ids;
    }

    @Test
    void everySequenceOfABatchDecodesAsItDoesAlone() {
        List<List<Integer>> expected = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            expected.add(alone(i));
            assertThat(expected.get(i)).hasSize(MAX_TOKENS[i]);
        }
        // All four join at once: their prompts prefill in one pass, then they decode together and leave one by one.
        List<RecordingSink> sinks = new ArrayList<>();
        try (BatchSession s = expert.openBatch()) {
            for (int i = 0; i < PROMPTS.size(); i++) {
                RecordingSink sink = new RecordingSink();
                sinks.add(sink);
                s.join(job(i, sink, new CancellationToken()));
            }
            assertThat(s.active()).isEqualTo(4);
            int steps = 0;
            while (s.active() > 0) {
                s.step();
                steps++;
            }
            // One pass per token of the longest answer (plus the prefill pass), not one per token of all answers.
            assertThat(steps).isEqualTo(MAX_TOKENS[2]);
        }
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(sinks.get(i).finish).isEqualTo(FinishReason.LENGTH);
            assertThat(sinks.get(i).ids).as("sequence %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void sequencesJoinBetweenStepsAndACancelledOneLeavesAtTheNextStep() {
        List<Integer> expected0 = alone(0);
        List<Integer> expected3 = alone(3);
        RecordingSink first = new RecordingSink();
        RecordingSink late = new RecordingSink();
        RecordingSink cancelled = new RecordingSink();
        CancellationToken cancel = new CancellationToken();
        try (BatchSession s = expert.openBatch()) {
            s.join(job(0, first, new CancellationToken()));
            s.join(job(2, cancelled, cancel));
            for (int k = 0; k < 5; k++) {
                s.step();
            }
            s.join(job(3, late, new CancellationToken()));   // joins mid-way: its prompt prefills beside two decodes
            s.step();
            cancel.cancel();
            int before = cancelled.ids.size();
            s.step();
            assertThat(cancelled.finish).isEqualTo(FinishReason.CANCELLED);
            assertThat(cancelled.ids).hasSize(before);
            assertThat(s.active()).isEqualTo(2);
            while (s.active() > 0) {
                s.step();
            }
        }
        assertThat(first.ids).isEqualTo(expected0);
        assertThat(late.ids).isEqualTo(expected3);
        assertThat(store.snapshot().experts().getFirst().leases()).isZero();
    }
}
