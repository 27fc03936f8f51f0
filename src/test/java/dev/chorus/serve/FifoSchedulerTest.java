package dev.chorus.serve;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FifoSchedulerTest {
    /** Blocks in generate until released or cancelled; records the order of runs. */
    static final class BlockingExpert implements ExpertBackend {
        final String id;
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> runs;

        BlockingExpert(String id, List<String> runs) {
            this.id = id;
            this.runs = runs;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String description() {
            return "";
        }

        @Override
        public String kind() {
            return "local";
        }

        @Override
        public PreparedPrompt prepare(PromptInput input) {
            return PreparedPrompt.ofTokens("", new int[1]);
        }

        @Override
        public void generate(PreparedPrompt prompt, GenerationRequest request, TokenSink sink,
                             CancellationToken cancel) {
            runs.add(((PromptInput.Text) request.input()).prompt());
            sink.started(ServedFrom.HOT);
            try {
                while (!cancel.isCancelled() && !release.await(5, TimeUnit.MILLISECONDS)) {
                    Thread.onSpinWait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sink.finished(cancel.isCancelled() ? FinishReason.CANCELLED : FinishReason.STOP);
        }
    }

    static final class Recorder implements TokenSink {
        final LinkedBlockingQueue<FinishReason> done = new LinkedBlockingQueue<>();

        @Override
        public void started(ServedFrom servedFrom) {
        }

        @Override
        public void token(GeneratedToken token) {
        }

        @Override
        public void finished(FinishReason reason) {
            done.add(reason);
        }

        @Override
        public void failed(Throwable error) {
            done.add(FinishReason.CANCELLED);
        }
    }

    private static GenerationJob job(ExpertBackend e, String name, Recorder sink, CancellationToken cancel) {
        GenerationRequest r = new GenerationRequest(new PromptInput.Text(name), SamplingSettings.greedy(), 1,
                List.of(), -1, false);
        return new GenerationJob(e, PreparedPrompt.ofTokens(name, new int[1]), r, sink, cancel, System.nanoTime());
    }

    @Test
    void boundsWaitingRequestsPerExpertAndRunsInArrivalOrder() throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        BlockingExpert a = new BlockingExpert("a", runs);
        BlockingExpert b = new BlockingExpert("b", runs);
        try (FifoScheduler s = new FifoScheduler(1, 2)) {
            Recorder sink = new Recorder();
            s.submit(job(a, "a1", sink, new CancellationToken()));
            while (runs.isEmpty()) {
                Thread.sleep(1);
            }
            s.submit(job(a, "a2", sink, new CancellationToken()));
            s.submit(job(b, "b1", sink, new CancellationToken()));
            s.submit(job(a, "a3", sink, new CancellationToken()));
            assertThat(s.queued("a")).isEqualTo(2);
            assertThat(s.queued("b")).isEqualTo(1);
            assertThat(s.running()).isEqualTo(1);
            QueueFullException full = org.junit.jupiter.api.Assertions.assertThrows(QueueFullException.class,
                    () -> s.submit(job(a, "a4", sink, new CancellationToken())));
            assertThat(full.retryAfterSeconds()).isPositive();
            s.submit(job(b, "b2", sink, new CancellationToken()));
            a.release.countDown();
            b.release.countDown();
            for (int i = 0; i < 5; i++) {
                assertThat(sink.done.poll(10, TimeUnit.SECONDS)).isEqualTo(FinishReason.STOP);
            }
            assertThat(runs).containsExactly("a1", "a2", "b1", "a3", "b2");
        }
    }

    @Test
    void aJobCancelledWhileWaitingNeverRunsAndCloseCancelsRunningOnes() throws Exception {
        List<String> runs = new CopyOnWriteArrayList<>();
        BlockingExpert a = new BlockingExpert("a", runs);
        Recorder first = new Recorder();
        Recorder second = new Recorder();
        FifoScheduler s = new FifoScheduler(1, 4);
        s.submit(job(a, "a1", first, new CancellationToken()));
        while (runs.isEmpty()) {
            Thread.sleep(1);
        }
        CancellationToken cancel = new CancellationToken();
        s.submit(job(a, "a2", second, cancel));
        cancel.cancel();
        s.close();
        assertThat(first.done.poll(10, TimeUnit.SECONDS)).isEqualTo(FinishReason.CANCELLED);
        assertThat(second.done.poll(10, TimeUnit.SECONDS)).isEqualTo(FinishReason.CANCELLED);
        assertThat(runs).containsExactly("a1");
        assertThatThrownBy(() -> s.submit(job(a, "a3", first, new CancellationToken())))
                .isInstanceOf(RuntimeException.class);
    }
}
