package dev.chorus.router;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders an {@link Evaluation} as the JSON of {@code chorus router eval --json}, as text, and as an HTML page. */
public final class EvaluationReport {
    private EvaluationReport() {
    }

    public static Map<String, Object> json(Evaluation e) {
        Map<String, Object> perCategory = new LinkedHashMap<>();
        e.perCategory().forEach((label, s) -> perCategory.put(label, Map.of(
                "precision", round(s.precision()), "recall", round(s.recall()), "f1", round(s.f1()),
                "support", s.support())));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("accuracy", round(e.accuracy()));
        out.put("macro_f1", round(e.macroF1()));
        out.put("per_category", perCategory);
        out.put("fallback_rate", round(e.fallbackRate()));
        out.put("threshold", e.threshold());
        out.put("rows", e.total());
        out.put("labels", e.labels());
        out.put("confusion", e.confusion());
        return out;
    }

    public static String text(Evaluation e) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("rows %d  accuracy %.4f  macro-F1 %.4f  fallback rate %.4f (threshold %.3f)%n%n",
                e.total(), e.accuracy(), e.macroF1(), e.fallbackRate(), e.threshold()));
        sb.append(String.format("%-12s %9s %9s %9s %8s%n", "category", "precision", "recall", "f1", "support"));
        e.perCategory().forEach((label, s) -> sb.append(String.format("%-12s %9.3f %9.3f %9.3f %8d%n",
                label, s.precision(), s.recall(), s.f1(), s.support())));
        sb.append(System.lineSeparator()).append("confusion (rows = true, columns = predicted)").append(System.lineSeparator());
        sb.append(String.format("%-12s", ""));
        for (String l : e.labels()) {
            sb.append(String.format(" %6.6s", l));
        }
        sb.append(System.lineSeparator());
        for (int i = 0; i < e.labels().size(); i++) {
            sb.append(String.format("%-12s", e.labels().get(i)));
            for (long x : e.confusion()[i]) {
                sb.append(String.format(" %6d", x));
            }
            sb.append(System.lineSeparator());
        }
        return sb.toString();
    }

    /** A self-contained HTML page: summary, per-category table, and the row-normalised confusion matrix as SVG. */
    public static String html(Evaluation e, String title) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,"
                        + "td:first-child{text-align:left}</style></head><body>");
        sb.append("<h1>").append(escape(title)).append("</h1>");
        sb.append(String.format("<p>%d rows &middot; accuracy <b>%.4f</b> &middot; macro-F1 <b>%.4f</b> &middot; "
                + "fallback rate %.4f at threshold %.3f</p>", e.total(), e.accuracy(), e.macroF1(),
                e.fallbackRate(), e.threshold()));
        sb.append("<table><tr><th>category</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>");
        e.perCategory().forEach((label, s) -> sb.append(String.format(
                "<tr><td>%s</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%d</td></tr>",
                escape(label), s.precision(), s.recall(), s.f1(), s.support())));
        sb.append("</table><h2>Confusion matrix</h2><p>Rows: true category; columns: predicted. "
                + "Colour: share of the row; number: count.</p>");
        sb.append(confusionSvg(e.labels(), e.confusion()));
        sb.append("</body></html>\n");
        return sb.toString();
    }

    static String confusionSvg(List<String> labels, long[][] confusion) {
        int n = labels.size();
        int cell = 48;
        int margin = 110;
        int size = margin + n * cell + 10;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">", size, size));
        for (int i = 0; i < n; i++) {
            long rowTotal = 0;
            for (long x : confusion[i]) {
                rowTotal += x;
            }
            int y = margin + i * cell;
            svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>",
                    margin - 6, y + cell / 2 + 4, escape(labels.get(i))));
            for (int j = 0; j < n; j++) {
                int x = margin + j * cell;
                double share = rowTotal == 0 ? 0 : (double) confusion[i][j] / rowTotal;
                int shade = (int) Math.round(255 * (1 - share));
                svg.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"rgb(%d,%d,255)\" "
                        + "stroke=\"#ddd\"><title>%s -> %s: %d</title></rect>", x, y, cell, cell, shade, shade,
                        escape(labels.get(i)), escape(labels.get(j)), confusion[i][j]));
                svg.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"%s\">%d</text>",
                        x + cell / 2, y + cell / 2 + 4, share > 0.5 ? "white" : "black", confusion[i][j]));
            }
        }
        for (int j = 0; j < n; j++) {
            int x = margin + j * cell + cell / 2;
            svg.append(String.format("<text x=\"%d\" y=\"%d\" transform=\"rotate(-45 %d %d)\">%s</text>",
                    x, margin - 6, x, margin - 6, escape(labels.get(j))));
        }
        return svg.append("</svg>").toString();
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
