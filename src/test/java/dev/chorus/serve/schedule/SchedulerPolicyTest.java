package dev.chorus.serve.schedule;

import dev.chorus.serve.FinishReason;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The scheduling policies on a deterministic fake lane (fake clock, fixed step and switch costs). */
class SchedulerPolicyTest {
    private static final long BOUND_MS = 100;
    private static final long STEP_MS = 1;
    private static final long SWITCH_MS = 20;
    private static final int TOKENS = 10;
    /** One batch's service time: a sequence that joins last finishes after TOKENS steps. */
    private static final long BATCH_MS = TOKENS * STEP_MS;

    private static FakeLane lane(SchedulingPolicy policy) {
        return new FakeLane(policy, 4, 100_000, STEP_MS, SWITCH_MS);
    }

    /**
     * A hot expert that always has work (arrivals at 80% of what it can serve alone: a batch of 4 every 10 ms),
     * and a few requests for another expert.
     */
    private static void busyHotExpert(FakeLane lane) {
        for (long t = 0; t < 2000; t += 3) {
            lane.arrive(t, "a", TOKENS);
        }
        lane.arrive(50, "b", TOKENS);
        lane.arrive(400, "b", TOKENS);
        lane.arrive(1200, "b", TOKENS);
    }

    @Test
    void noRequestWaitsLongerThanTheBoundPlusOneBatchAndASwitch() {
        FakeLane lane = lane(new SwitchAwarePolicy(BOUND_MS * FakeLane.MS));
        busyHotExpert(lane);
        lane.runToEnd();
        List<FakeLane.Record> b = lane.records.stream().filter(r -> r.expert.equals("b")).toList();
        assertThat(b).hasSize(3).allSatisfy(r -> {
            assertThat(r.finish).isEqualTo(FinishReason.LENGTH);
            // Kept waiting while the hot expert had work (the policy's point) ...
            assertThat(r.waitMillis()).isGreaterThanOrEqualTo(BOUND_MS);
            // ... but never beyond the fairness bound plus draining one batch and one switch.
            assertThat(r.waitMillis()).isLessThanOrEqualTo(BOUND_MS + BATCH_MS + SWITCH_MS);
        });
        assertThat(lane.records).allSatisfy(r -> assertThat(r.finish).isEqualTo(FinishReason.LENGTH));
        assertThat(lane.maxBatchSeen).isEqualTo(4);
    }

    @Test
    void withoutABoundTheColdExpertWouldStarve() {
        FakeLane lane = lane(new SwitchAwarePolicy(Long.MAX_VALUE / 4));
        busyHotExpert(lane);
        lane.runToEnd();
        long worstB = lane.records.stream().filter(r -> r.expert.equals("b"))
                .mapToLong(FakeLane.Record::waitMillis).max().orElseThrow();
        assertThat(worstB).isGreaterThan(10 * (BOUND_MS + BATCH_MS + SWITCH_MS));
    }

    @Test
    void nobodyStarvesUnderRandomSkewedLoadOfManyExperts() {
        for (int seed = 0; seed < 20; seed++) {
            FakeLane aware = lane(new SwitchAwarePolicy(BOUND_MS * FakeLane.MS));
            FakeLane fcfs = lane(new FcfsPolicy());
            for (FakeLane lane : List.of(aware, fcfs)) {
                Random rnd = new Random(seed);
                long t = 0;
                for (int i = 0; i < 400; i++) {
                    t += (long) (-Math.log(1 - rnd.nextDouble()) * 15);   // Poisson arrivals, mean gap 15 ms
                    int e = Math.min(3, (int) Math.floor(Math.pow(rnd.nextDouble(), 2.5) * 4));   // skewed mix
                    lane.arrive(t, "e" + e, 1 + rnd.nextInt(TOKENS));
                }
                lane.runToEnd();
                assertThat(lane.records).hasSize(400)
                        .allSatisfy(r -> assertThat(r.finish).isEqualTo(FinishReason.LENGTH));
            }
            // Keeping hot experts busy never costs a tail beyond first-come-first-served's plus the bound.
            long worstAware = aware.records.stream().mapToLong(FakeLane.Record::waitMillis).max().orElseThrow();
            long worstFcfs = fcfs.records.stream().mapToLong(FakeLane.Record::waitMillis).max().orElseThrow();
            assertThat(worstAware).as("seed %d", seed).isLessThanOrEqualTo(worstFcfs + BOUND_MS);
            assertThat(aware.now).as("seed %d", seed).isLessThanOrEqualTo(fcfs.now);
        }
    }

    @Test
    void switchAwareSwitchesLessThanFcfsOnInterleavedArrivals() {
        FakeLane fcfs = lane(new FcfsPolicy());
        FakeLane aware = lane(new SwitchAwarePolicy(BOUND_MS * FakeLane.MS));
        for (FakeLane lane : List.of(fcfs, aware)) {
            for (int i = 0; i < 200; i++) {
                lane.arrive(i * 4L, "e" + (i % 3), TOKENS);
            }
            lane.runToEnd();
            assertThat(lane.records).allSatisfy(r -> assertThat(r.finish).isEqualTo(FinishReason.LENGTH));
        }
        System.out.println("switches fcfs=" + fcfs.core.switches() + " aware=" + aware.core.switches() + " end fcfs=" + fcfs.now / FakeLane.MS + " aware=" + aware.now / FakeLane.MS);
        assertThat(aware.core.switches()).isLessThan(fcfs.core.switches() / 4);
        assertThat(aware.now).isLessThan(fcfs.now);
    }

    @Test
    void fcfsStartsRequestsInArrivalOrder() {
        FakeLane lane = lane(new FcfsPolicy());
        Random rnd = new Random(7);
        for (int i = 0; i < 100; i++) {
            lane.arrive(i * 3L, "e" + rnd.nextInt(3), 1 + rnd.nextInt(TOKENS));
        }
        lane.runToEnd();
        List<FakeLane.Record> byArrival = lane.records.stream()
                .sorted(Comparator.comparingLong(r -> r.arrival)).toList();
        for (int i = 1; i < byArrival.size(); i++) {
            assertThat(byArrival.get(i).started).isGreaterThanOrEqualTo(byArrival.get(i - 1).started);
        }
    }

    @Test
    void queueBeyondItsBoundIsRejected() {
        FakeLane lane = new FakeLane(new SwitchAwarePolicy(BOUND_MS * FakeLane.MS), 2, 5, STEP_MS, SWITCH_MS);
        for (int i = 0; i < 8; i++) {
            lane.arrive(0, "a", TOKENS);
        }
        lane.arrive(0, "b", TOKENS);
        lane.runToEnd();
        assertThat(lane.rejected).isEqualTo(3);
        assertThat(lane.records).hasSize(6);
    }

    @Test
    void cancelledWaitingRequestLeavesAtOnceWithoutRunning() {
        FakeLane lane = lane(new FcfsPolicy());
        FakeLane.Record a = lane.submitNow("a", TOKENS);
        FakeLane.Record b = lane.submitNow("b", TOKENS);
        FakeLane.Record c = lane.submitNow("c", TOKENS);
        b.cancel.cancel();
        assertThat(b.finish).isEqualTo(FinishReason.CANCELLED);
        assertThat(lane.core.queued("b")).isZero();
        lane.runToEnd();
        assertThat(b.started).isEqualTo(-1);
        assertThat(b.tokens).isZero();
        assertThat(List.of(a, c)).allSatisfy(r -> assertThat(r.finish).isEqualTo(FinishReason.LENGTH));
        assertThat(lane.core.switches()).isEqualTo(2);
    }
}
