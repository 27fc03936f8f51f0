package dev.chorus.router.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.ChorusException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads calibration rows and precomputed per-row NLLs (JSONL; a bad line is an error naming its line). */
public final class CalibrationData {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CalibrationData() {
    }

    public static List<CalibrationRow> readRows(Path file) throws IOException {
        List<CalibrationRow> rows = new ArrayList<>();
        forEachObject(file, (node, where, line) -> rows.add(new CalibrationRow(text(node, "prompt", where, true),
                text(node, "category", where, false), text(node, "reference", where, false), line)));
        return rows;
    }

    /**
     * Per-row NLLs computed elsewhere (e.g. by llama.cpp), one line per calibration row in the same order:
     * {@code {"nll_mean": {expert: v}, "nll_sum": {expert: v}, "n_ref_tokens": n}}. Returns expert -> per-row NLL.
     */
    public static Map<String, List<ReferenceNll>> readPrecomputed(Path file, int expectedRows) throws IOException {
        Map<String, List<ReferenceNll>> byExpert = new LinkedHashMap<>();
        int[] count = {0};
        forEachObject(file, (node, where, line) -> {
            JsonNode sums = node.get("nll_sum");
            JsonNode tokens = node.get("n_ref_tokens");
            if (sums == null || !sums.isObject() || tokens == null || !tokens.canConvertToInt()) {
                throw new ChorusException(where + "expected \"nll_sum\" (object) and \"n_ref_tokens\" (integer)");
            }
            sums.fieldNames().forEachRemaining(expert -> byExpert.computeIfAbsent(expert, e -> new ArrayList<>())
                    .add(new ReferenceNll(sums.get(expert).asDouble(), tokens.asInt())));
            count[0]++;
        });
        if (count[0] != expectedRows) {
            throw new ChorusException(file + " has " + count[0] + " rows, the calibration data has " + expectedRows);
        }
        byExpert.forEach((expert, list) -> {
            if (list.size() != expectedRows) {
                throw new ChorusException(file + ": expert " + expert + " is missing from some rows");
            }
        });
        return byExpert;
    }

    private interface RowHandler {
        void accept(JsonNode node, String where, int line);
    }

    private static void forEachObject(Path file, RowHandler handler) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ChorusException("data file not found: " + file);
        }
        int lineNo = 0;
        for (String line : Files.readAllLines(file)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String where = file + ":" + lineNo + ": ";
            JsonNode node;
            try {
                node = JSON.readTree(line);
            } catch (IOException e) {
                throw new ChorusException(where + "invalid JSON");
            }
            if (node == null || !node.isObject()) {
                throw new ChorusException(where + "expected a JSON object");
            }
            handler.accept(node, where, lineNo);
        }
        if (lineNo == 0) {
            throw new ChorusException(file + ": no rows");
        }
    }

    private static String text(JsonNode node, String field, String where, boolean nonBlank) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || (nonBlank && v.asText().isBlank()) || v.asText().isEmpty()) {
            throw new ChorusException(where + "missing or empty string field \"" + field + "\"");
        }
        return v.asText();
    }
}
