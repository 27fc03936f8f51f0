package dev.chorus.serve.schedule;

import dev.chorus.SharedData;
import dev.chorus.memory.ExpertStore;
import dev.chorus.memory.Tier;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.QueueFullException;
import dev.chorus.serve.RequestScheduler;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.config.SchedulerSettings;
import dev.chorus.serve.local.LocalExpert;
import dev.chorus.serve.local.ModelRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batching scheduler on four real tiny experts (the shared code/math/knowledge experts and stories260K) with a hot
 * budget of two: concurrent requests of mixed experts all finish, each with the same greedy answer as when run alone,
 * and every lease is returned.
 */
class BatchingSchedulerTest {
    private static final String[] FILES = {"models/experts/expert-code.Q8_0.gguf", "models/experts/expert-math.Q8_0.gguf",
            "models/experts/expert-knowledge.Q8_0.gguf", "models/stories260K.gguf"};
    private ExpertStore<ModelRuntime> store;
    private final Map<String, ExpertBackend> experts = new LinkedHashMap<>();

    @BeforeEach
    void open() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String f : FILES) {
            files.add(SharedData.require(f));
        }
        ModelRuntime.Factory factory = new ModelRuntime.Factory(1, 8);
        long largest = 0;
        for (Path f : files) {
            try (var g = dev.chorus.gguf.GgufFile.open(f)) {
                largest = Math.max(largest, g.fileSize() + factory.stateBytes(g));
            }
        }
        store = ExpertStore.builder(factory).hotMemory(2 * largest + 4096).warmMemory(4 * largest).build();
        for (int i = 0; i < files.size(); i++) {
            String id = "e" + i;
            store.register(id, files.get(i));
            experts.put(id, LocalExpert.open(id, "", files.get(i), store));
        }
    }

    @AfterEach
    void close() {
        if (store != null) { // null when ../shared is absent and the set-up skipped the test
            store.close();
        }
    }

    private GenerationJob job(String expert, String prompt, int tokens, RecordingSink sink, CancellationToken cancel) {
        ExpertBackend e = experts.get(expert);
        GenerationRequest request = new GenerationRequest(new PromptInput.Text(prompt), SamplingSettings.greedy(),
                tokens, List.of(), -1, true);
        return new GenerationJob(e, e.prepare(request.input()), request, sink, cancel, System.nanoTime());
    }

    @ParameterizedTest
    @ValueSource(strings = {"switch-aware", "fcfs-lru"})
    void mixedConcurrentLoadAnswersAsAlone(String policy) throws Exception {
        Random rnd = new Random(3);
        List<String> ids = new ArrayList<>(experts.keySet());
        List<String[]> work = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            work.add(new String[]{ids.get(rnd.nextInt(ids.size())), "Once upon a time " + i, "" + (4 + rnd.nextInt(12))});
        }
        // Reference answers, one request at a time.
        List<List<Integer>> alone = new ArrayList<>();
        try (RequestScheduler s = create(policy)) {
            for (String[] w : work) {
                RecordingSink sink = new RecordingSink();
                s.submit(job(w[0], w[1], Integer.parseInt(w[2]), sink, new CancellationToken()));
                assertThat(sink.await(60)).isTrue();
                alone.add(sink.ids);
            }
        }
        List<RecordingSink> sinks = new ArrayList<>();
        BatchingScheduler scheduler = create(policy);
        try (scheduler) {
            for (String[] w : work) {
                RecordingSink sink = new RecordingSink();
                sinks.add(sink);
                scheduler.submit(job(w[0], w[1], Integer.parseInt(w[2]), sink, new CancellationToken()));
            }
            for (RecordingSink sink : sinks) {
                assertThat(sink.await(120)).isTrue();
            }
        }
        for (int i = 0; i < work.size(); i++) {
            assertThat(sinks.get(i).error).isNull();
            assertThat(sinks.get(i).finish).isEqualTo(FinishReason.LENGTH);
            assertThat(sinks.get(i).ids).as("request %d", i).isEqualTo(alone.get(i));
        }
        assertThat(store.snapshot().experts()).allSatisfy(e -> assertThat(e.leases()).isZero());
        assertThat(store.snapshot().hot().highWater()).isLessThanOrEqualTo(store.snapshot().hot().capacity());
        if (policy.equals("switch-aware")) {
            assertThat(scheduler.core().switches()).isLessThan(work.size());
        }
    }

    @Test
    void fullQueueIsRejectedAndCancelledRequestsEnd() throws Exception {
        SchedulerSettings s = new SchedulerSettings("switch-aware", 2000, 2, 0);
        List<RecordingSink> sinks = new ArrayList<>();
        List<CancellationToken> cancels = new ArrayList<>();
        try (RequestScheduler scheduler = Schedulers.create(s, 1, 3, store, experts, 2, 2)) {
            // A long request keeps the lane busy on e0 while e1's queue fills.
            RecordingSink longOne = new RecordingSink();
            CancellationToken longCancel = new CancellationToken();
            scheduler.submit(job("e3", "Once upon a time", 400, longOne, longCancel));
            for (int i = 0; i < 3; i++) {
                RecordingSink sink = new RecordingSink();
                CancellationToken c = new CancellationToken();
                sinks.add(sink);
                cancels.add(c);
                scheduler.submit(job("e1", "x" + i, 8, sink, c));
            }
            assertThatThrownBy(() -> scheduler.submit(job("e1", "y", 8, new RecordingSink(), new CancellationToken())))
                    .isInstanceOf(QueueFullException.class);
            cancels.get(1).cancel();
            longCancel.cancel();   // a running sequence leaves at its next step
            assertThat(longOne.await(30)).isTrue();
            assertThat(longOne.finish).isEqualTo(FinishReason.CANCELLED);
            for (RecordingSink sink : sinks) {
                assertThat(sink.await(60)).isTrue();
            }
            assertThat(sinks.get(1).finish).isEqualTo(FinishReason.CANCELLED);
            assertThat(sinks.get(1).ids).isEmpty();
            assertThat(sinks.get(0).finish).isEqualTo(FinishReason.LENGTH);
            assertThat(sinks.get(2).finish).isEqualTo(FinishReason.LENGTH);
        }
        assertThat(store.snapshot().experts()).allSatisfy(e -> assertThat(e.leases()).isZero());
    }

    @Test
    void queuedExpertsArePrefetchedWhileAnotherRuns() throws Exception {
        SchedulerSettings s = new SchedulerSettings("switch-aware", 60_000, 4, 0);
        try (RequestScheduler scheduler = Schedulers.create(s, 1, 16, store, experts, 2, 2)) {
            // From its second token on, e3's sink holds the lane (up to 30 s) until e1 is hot, so a slow prefetch
            // thread on a busy machine cannot lose the race against e3's last token. The prefetch hint is given after
            // every step, so it is out before the sink first waits.
            RecordingSink running = new RecordingSink() {
                @Override
                public synchronized void token(GeneratedToken token) {
                    super.token(token);
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (ids.size() > 1 && store.tierOf("e1") != Tier.HOT && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
            };
            scheduler.submit(job("e3", "Once upon a time", 200, running, new CancellationToken()));
            RecordingSink waiting = new RecordingSink();
            scheduler.submit(job("e1", "Two plus two", 4, waiting, new CancellationToken()));
            // While e3 decodes, the waiting request's expert is made hot in the background.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (store.tierOf("e1") != Tier.HOT && System.nanoTime() < deadline && !running.ended()) {
                Thread.sleep(5);
            }
            assertThat(store.tierOf("e1")).isEqualTo(Tier.HOT);
            assertThat(running.ended()).isFalse();
            assertThat(running.await(120)).isTrue();
            assertThat(waiting.await(60)).isTrue();
            assertThat(waiting.servedFrom.tier()).isEqualTo("hot");
        }
    }

    private BatchingScheduler create(String policy) {
        return (BatchingScheduler) Schedulers.create(new SchedulerSettings(policy, 50, 4, 0), 1, 64, store, experts,
                2, 2);
    }
}
