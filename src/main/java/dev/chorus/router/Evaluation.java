package dev.chorus.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Classification quality of a router on labelled rows: accuracy, macro-F1, per-category precision/recall/F1/support,
 * the confusion matrix (rows = true label, columns = predicted) and the fallback rate at the router's threshold.
 * Gold labels outside the router's label set count as errors (they get their own confusion row).
 */
public record Evaluation(List<String> labels, long[][] confusion, int fallbacks, double threshold) {
    public record CategoryScores(double precision, double recall, double f1, long support) {
    }

    public static Evaluation of(List<String> routerLabels, List<String> gold, List<Classification> predicted,
                                double threshold) {
        List<String> labels = new java.util.ArrayList<>(routerLabels);
        for (String g : gold) {
            if (!labels.contains(g)) {
                labels.add(g);
            }
        }
        long[][] confusion = new long[labels.size()][labels.size()];
        int fallbacks = 0;
        for (int i = 0; i < gold.size(); i++) {
            Classification c = predicted.get(i);
            confusion[labels.indexOf(gold.get(i))][labels.indexOf(c.category())]++;
            if (c.confidence() < threshold) {
                fallbacks++;
            }
        }
        return new Evaluation(List.copyOf(labels), confusion, fallbacks, threshold);
    }

    public long total() {
        long n = 0;
        for (long[] row : confusion) {
            for (long x : row) {
                n += x;
            }
        }
        return n;
    }

    public double accuracy() {
        long correct = 0;
        for (int i = 0; i < confusion.length; i++) {
            correct += confusion[i][i];
        }
        return (double) correct / total();
    }

    public double fallbackRate() {
        return (double) fallbacks / total();
    }

    public CategoryScores scores(int label) {
        long tp = confusion[label][label];
        long predicted = 0;
        long actual = 0;
        for (int i = 0; i < confusion.length; i++) {
            predicted += confusion[i][label];
            actual += confusion[label][i];
        }
        double p = predicted == 0 ? 0 : (double) tp / predicted;
        double r = actual == 0 ? 0 : (double) tp / actual;
        double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
        return new CategoryScores(p, r, f1, actual);
    }

    /** Mean F1 over the labels that occur in the gold data. */
    public double macroF1() {
        double sum = 0;
        int n = 0;
        for (int c = 0; c < labels.size(); c++) {
            CategoryScores s = scores(c);
            if (s.support() > 0) {
                sum += s.f1();
                n++;
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    public Map<String, CategoryScores> perCategory() {
        Map<String, CategoryScores> m = new LinkedHashMap<>();
        for (int c = 0; c < labels.size(); c++) {
            m.put(labels.get(c), scores(c));
        }
        return m;
    }
}
