package dev.chorus.router.calibration;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Per-row NLLs of every expert, grouped by category, with the derived per-category scores, frontier and chosen
 * mapping. A category's score is the mean over its rows of the per-row mean NLL (each request counts once).
 */
public final class CalibrationResult {
    private final List<String> rowCategories;
    private final Map<String, List<ReferenceNll>> nllByExpert;
    private final Map<String, Long> params;
    private final List<String> categories;

    public CalibrationResult(List<String> rowCategories, Map<String, List<ReferenceNll>> nllByExpert,
                             Map<String, Long> params) {
        this.rowCategories = List.copyOf(rowCategories);
        this.nllByExpert = new LinkedHashMap<>(nllByExpert);
        this.params = new LinkedHashMap<>(params);
        this.categories = new ArrayList<>(new LinkedHashSet<>(rowCategories));
        for (String e : nllByExpert.keySet()) {
            if (!params.containsKey(e)) {
                throw new IllegalArgumentException("no parameter count for expert " + e);
            }
        }
    }

    public List<String> categories() {
        return categories;
    }

    public List<String> experts() {
        return List.copyOf(nllByExpert.keySet());
    }

    public Map<String, List<ReferenceNll>> rowNll() {
        return nllByExpert;
    }

    /** scores[expert][category] = mean over rows of that category of the per-row mean NLL. */
    public Map<String, Map<String, Double>> scores() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (var entry : nllByExpert.entrySet()) {
            Map<String, double[]> acc = new LinkedHashMap<>();
            for (int r = 0; r < rowCategories.size(); r++) {
                double[] a = acc.computeIfAbsent(rowCategories.get(r), k -> new double[2]);
                a[0] += entry.getValue().get(r).mean();
                a[1]++;
            }
            Map<String, Double> perCategory = new LinkedHashMap<>();
            acc.forEach((c, a) -> perCategory.put(c, a[0] / a[1]));
            out.put(entry.getKey(), perCategory);
        }
        return out;
    }

    public long[] categoryCounts() {
        long[] counts = new long[categories.size()];
        for (String c : rowCategories) {
            counts[categories.indexOf(c)]++;
        }
        return counts;
    }

    public List<MappingOptimizer.Point> frontier() {
        List<String> experts = experts();
        Map<String, Map<String, Double>> scores = scores();
        double[][] nll = new double[experts.size()][categories.size()];
        long[] p = new long[experts.size()];
        for (int e = 0; e < experts.size(); e++) {
            p[e] = params.get(experts.get(e));
            for (int c = 0; c < categories.size(); c++) {
                nll[e][c] = scores.get(experts.get(e)).get(categories.get(c));
            }
        }
        return MappingOptimizer.frontier(categories, categoryCounts(), experts, p, nll);
    }

    /** Mean over rows of the per-row mean NLL when every row goes to {@code expertForRow(row)}. */
    public double meanNll(java.util.function.IntFunction<String> expertForRow) {
        double sum = 0;
        for (int r = 0; r < rowCategories.size(); r++) {
            sum += nllByExpert.get(expertForRow.apply(r)).get(r).mean();
        }
        return sum / rowCategories.size();
    }

    /** The JSON of {@code chorus calibrate --json}. */
    public Map<String, Object> json(Double budgetParams) {
        List<MappingOptimizer.Point> frontier = frontier();
        MappingOptimizer.Point chosen = MappingOptimizer.best(frontier,
                budgetParams == null ? Double.POSITIVE_INFINITY : budgetParams);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("scores", scores());
        out.put("mapping", chosen == null ? null : chosen.mapping());
        out.put("mean_nll", chosen == null ? null : chosen.meanNll());
        out.put("avg_active_params", chosen == null ? null : chosen.avgActiveParams());
        out.put("budget_params", budgetParams);
        out.put("params", params);
        Map<String, Long> counts = new LinkedHashMap<>();
        long[] c = categoryCounts();
        for (int i = 0; i < categories.size(); i++) {
            counts.put(categories.get(i), c[i]);
        }
        out.put("category_counts", counts);
        List<Map<String, Object>> points = new ArrayList<>();
        for (MappingOptimizer.Point p : frontier) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("avg_active_params", p.avgActiveParams());
            m.put("mean_nll", p.meanNll());
            m.put("mapping", p.mapping());
            points.add(m);
        }
        out.put("frontier", points);
        return out;
    }
}
