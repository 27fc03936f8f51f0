package dev.chorus.serve.schedule;

import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.FinishReason;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.SamplingSettings;
import dev.chorus.serve.ServedFrom;
import dev.chorus.serve.TokenSink;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A deterministic compute lane for policy tests: a fake clock (milliseconds as nanos), runs whose every step costs
 * {@code stepMillis} and whose opening costs {@code switchMillis} when the expert differs from the last one, and
 * requests that finish after exactly their max tokens. Arrivals scheduled in advance are queued as the clock passes
 * them, also in the middle of a batch.
 */
final class FakeLane {
    static final long MS = 1_000_000L;
    final long stepMillis;
    final long switchMillis;
    long now;
    final SchedulerCore core;
    private final PriorityQueue<Arrival> arrivals = new PriorityQueue<>(Comparator.comparingLong(Arrival::at));
    final List<Record> records = new ArrayList<>();
    private final Map<String, ExpertBackend> experts = new HashMap<>();
    private String lastOpened;
    int maxBatchSeen;
    int rejected;

    record Arrival(long at, String expert, int tokens) {
    }

    /** What happened to one request, in fake milliseconds. */
    static final class Record implements TokenSink {
        final String expert;
        final long arrival;
        final CancellationToken cancel = new CancellationToken();
        long started = -1;
        int tokens;
        FinishReason finish;
        private final FakeLane lane;

        Record(FakeLane lane, String expert, long arrival) {
            this.lane = lane;
            this.expert = expert;
            this.arrival = arrival;
        }

        long waitMillis() {
            return (started - arrival) / MS;
        }

        @Override
        public void started(ServedFrom servedFrom) {
            started = lane.now;
        }

        @Override
        public void token(GeneratedToken token) {
            tokens++;
        }

        @Override
        public void finished(FinishReason reason) {
            finish = reason;
        }

        @Override
        public void failed(Throwable error) {
            throw new AssertionError(error);
        }
    }

    FakeLane(SchedulingPolicy policy, int maxBatch, int maxQueue, long stepMillis, long switchMillis) {
        this.stepMillis = stepMillis;
        this.switchMillis = switchMillis;
        this.core = new SchedulerCore(policy, this::open, () -> now, maxBatch, maxQueue);
    }

    void arrive(long atMillis, String expert, int tokens) {
        arrivals.add(new Arrival(atMillis * MS, expert, tokens));
    }

    /** Runs until every arrival is queued and served. */
    void runToEnd() {
        while (true) {
            admitArrivals();
            if (!core.serveOnce()) {
                if (arrivals.isEmpty()) {
                    return;
                }
                now = Math.max(now, arrivals.peek().at());
            }
        }
    }

    /** Queues a request now and returns its record. */
    Record submitNow(String expert, int tokens) {
        arrive(now / MS, expert, tokens);
        admitArrivals();
        return records.getLast();
    }

    private void admitArrivals() {
        while (!arrivals.isEmpty() && arrivals.peek().at() <= now) {
            Arrival a = arrivals.poll();
            Record r = new Record(this, a.expert(), a.at());
            GenerationRequest request = new GenerationRequest(new PromptInput.Text("x"), SamplingSettings.greedy(),
                    a.tokens(), List.of(), -1, false);
            try {
                core.enqueue(new GenerationJob(expert(a.expert()), new PreparedPrompt("x", new int[]{1}, 1), request,
                        r, r.cancel, a.at()));
                records.add(r);
            } catch (dev.chorus.serve.QueueFullException e) {
                rejected++;
            }
        }
    }

    private ExpertBackend expert(String id) {
        return experts.computeIfAbsent(id, FakeExpert::new);
    }

    private ExpertRun open(ExpertBackend expert) {
        if (!expert.id().equals(lastOpened)) {
            now += switchMillis * MS;
            lastOpened = expert.id();
        }
        return new ExpertRun() {
            final List<GenerationJob> active = new ArrayList<>();
            final Map<GenerationJob, Integer> done = new HashMap<>();

            @Override
            public void join(GenerationJob job) {
                job.sink().started(ServedFrom.HOT);
                active.add(job);
                done.put(job, 0);
                maxBatchSeen = Math.max(maxBatchSeen, active.size());
            }

            @Override
            public int active() {
                return active.size();
            }

            @Override
            public void step() {
                now += stepMillis * MS;
                active.removeIf(job -> {
                    if (job.cancel().isCancelled()) {
                        job.sink().finished(FinishReason.CANCELLED);
                        return true;
                    }
                    int n = done.merge(job, 1, Integer::sum);
                    job.sink().token(GeneratedToken.of(n, "t"));
                    if (n >= job.request().maxTokens()) {
                        job.sink().finished(FinishReason.LENGTH);
                        return true;
                    }
                    return false;
                });
                admitArrivals();
            }

            @Override
            public void failAll(Throwable error) {
                active.forEach(j -> j.sink().failed(error));
                active.clear();
            }

            @Override
            public void close() {
                active.forEach(j -> j.sink().finished(FinishReason.CANCELLED));
            }
        };
    }

    private record FakeExpert(String id) implements ExpertBackend {
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
            throw new UnsupportedOperationException();
        }

        @Override
        public void generate(PreparedPrompt p, GenerationRequest r, TokenSink s, CancellationToken c) {
            throw new UnsupportedOperationException();
        }
    }
}
