package dev.chorus.router.calibration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MappingOptimizerTest {
    @Test
    void unlimitedBudgetPicksEachCategorysBestExpertAndTightBudgetThePcheapest() {
        List<String> cats = List.of("code", "chat");
        List<String> experts = List.of("big", "small");
        double[][] nll = {{1.0, 2.0}, {3.0, 2.5}};
        List<MappingOptimizer.Point> frontier = MappingOptimizer.frontier(cats, new long[]{3, 1}, experts,
                new long[]{100, 10}, nll);
        MappingOptimizer.Point best = MappingOptimizer.best(frontier, Double.POSITIVE_INFINITY);
        assertThat(best.mapping()).isEqualTo(Map.of("code", "big", "chat", "big"));
        assertThat(best.meanNll()).isCloseTo((3 * 1.0 + 2.0) / 4, within(1e-12));
        MappingOptimizer.Point cheap = MappingOptimizer.best(frontier, 10);
        assertThat(cheap.mapping()).isEqualTo(Map.of("code", "small", "chat", "small"));
        // 77.5 = (3*100 + 1*10)/4: code on big, chat on small.
        MappingOptimizer.Point mid = MappingOptimizer.best(frontier, 80);
        assertThat(mid.mapping()).isEqualTo(Map.of("code", "big", "chat", "small"));
        assertThat(mid.avgActiveParams()).isEqualTo(77.5);
        assertThat(MappingOptimizer.best(frontier, 5)).isNull();
    }

    @RepeatedTest(20)
    void frontierMatchesBruteForceForEveryBudget() {
        Random r = new Random();
        int cats = 1 + r.nextInt(5);
        int experts = 1 + r.nextInt(4);
        List<String> catNames = new ArrayList<>();
        List<String> expNames = new ArrayList<>();
        long[] counts = new long[cats];
        for (int c = 0; c < cats; c++) {
            catNames.add("c" + c);
            counts[c] = 1 + r.nextInt(50);
        }
        long[] params = new long[experts];
        double[][] nll = new double[experts][cats];
        for (int e = 0; e < experts; e++) {
            expNames.add("e" + e);
            params[e] = 1 + r.nextInt(1000);
            for (int c = 0; c < cats; c++) {
                nll[e][c] = r.nextDouble() * 5;
            }
        }
        List<MappingOptimizer.Point> frontier = MappingOptimizer.frontier(catNames, counts, expNames, params, nll);
        long total = java.util.Arrays.stream(counts).sum();
        // Every mapping by enumeration; for each one's cost as budget the frontier must be as good.
        int combos = (int) Math.pow(experts, cats);
        for (int code = 0; code < combos; code++) {
            long cost = 0;
            double sum = 0;
            int x = code;
            for (int c = 0; c < cats; c++) {
                int e = x % experts;
                x /= experts;
                cost += counts[c] * params[e];
                sum += counts[c] * nll[e][c];
            }
            MappingOptimizer.Point best = MappingOptimizer.best(frontier, (double) cost / total);
            assertThat(best).isNotNull();
            assertThat(best.meanNll()).isLessThanOrEqualTo(sum / total + 1e-12);
        }
        for (int i = 1; i < frontier.size(); i++) {
            assertThat(frontier.get(i).avgActiveParams()).isGreaterThan(frontier.get(i - 1).avgActiveParams());
            assertThat(frontier.get(i).meanNll()).isLessThan(frontier.get(i - 1).meanNll());
        }
    }
}
