package dev.chorus.router.calibration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the category -> expert mapping that minimises expected NLL (categories weighted by frequency) under a
 * budget on average active parameters, exactly. Dynamic programming over categories keeps, after each category, only
 * the Pareto-optimal partial mappings (no other is both cheaper and better); the final Pareto set is the whole
 * quality-vs-parameters frontier, and the best mapping for any budget is on it.
 */
public final class MappingOptimizer {
    /** One frontier point: average active parameters per request, expected mean NLL, and the mapping. */
    public record Point(double avgActiveParams, double meanNll, Map<String, String> mapping) {
    }

    private record Partial(long cost, double nll, int[] choice) {
    }

    private MappingOptimizer() {
    }

    /**
     * @param categories category names
     * @param counts     how many requests of each category (the frequency weights)
     * @param experts    expert ids
     * @param params     active parameters of each expert
     * @param nll        nll[e][c] = mean NLL of expert e on category c (lower is better)
     * @return the Pareto frontier, cheapest first
     */
    public static List<Point> frontier(List<String> categories, long[] counts, List<String> experts, long[] params,
                                       double[][] nll) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0 || experts.isEmpty()) {
            throw new IllegalArgumentException("need at least one expert and one weighted category");
        }
        List<Partial> states = List.of(new Partial(0, 0, new int[0]));
        for (int c = 0; c < categories.size(); c++) {
            List<Partial> next = new ArrayList<>();
            for (Partial s : states) {
                for (int e = 0; e < experts.size(); e++) {
                    int[] choice = java.util.Arrays.copyOf(s.choice(), c + 1);
                    choice[c] = e;
                    next.add(new Partial(s.cost() + counts[c] * params[e], s.nll() + counts[c] * nll[e][c], choice));
                }
            }
            states = pareto(next);
        }
        List<Point> points = new ArrayList<>();
        for (Partial s : states) {
            Map<String, String> mapping = new LinkedHashMap<>();
            for (int c = 0; c < categories.size(); c++) {
                mapping.put(categories.get(c), experts.get(s.choice()[c]));
            }
            points.add(new Point((double) s.cost() / total, s.nll() / total, mapping));
        }
        return points;
    }

    /** The best frontier point within {@code budget} average active parameters, or null if none fits. */
    public static Point best(List<Point> frontier, double budget) {
        Point best = null;
        for (Point p : frontier) {
            if (p.avgActiveParams() <= budget && (best == null || p.meanNll() < best.meanNll())) {
                best = p;
            }
        }
        return best;
    }

    private static List<Partial> pareto(List<Partial> candidates) {
        List<Partial> sorted = new ArrayList<>(candidates);
        // Cheapest first; among equal cost, best NLL first (stable, so earlier expert order breaks exact ties).
        sorted.sort(Comparator.comparingLong(Partial::cost).thenComparingDouble(Partial::nll));
        List<Partial> kept = new ArrayList<>();
        double bestNll = Double.POSITIVE_INFINITY;
        for (Partial p : sorted) {
            if (p.nll() < bestNll) {
                kept.add(p);
                bestNll = p.nll();
            }
        }
        return kept;
    }
}
