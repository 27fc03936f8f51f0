package dev.chorus.router;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chorus.ChorusException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads JSONL prompt files ({@code {"prompt": ..., "category": ...}} per line; other keys are ignored). Every
 * non-blank line must be a valid row: a bad line fails the whole read with its line number, nothing is skipped.
 */
public final class PromptDataset {
    private static final ObjectMapper JSON = new ObjectMapper();

    private PromptDataset() {
    }

    public static List<LabeledPrompt> readLabeled(Path file) throws IOException {
        return read(file, true, null);
    }

    /** Labelled rows whose category must belong to {@code allowedLabels} (a config that fixes the label set). */
    public static List<LabeledPrompt> readLabeled(Path file, Collection<String> allowedLabels) throws IOException {
        return read(file, true, allowedLabels);
    }

    public static List<LabeledPrompt> readPrompts(Path file) throws IOException {
        return read(file, false, null);
    }

    private static List<LabeledPrompt> read(Path file, boolean needCategory, Collection<String> allowed)
            throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new ChorusException("data file not found: " + file);
        }
        List<LabeledPrompt> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                rows.add(parse(line, file, lineNo, needCategory, allowed));
            }
        }
        if (rows.isEmpty()) {
            throw new ChorusException(file + ": no rows");
        }
        return rows;
    }

    static LabeledPrompt parse(String line, Path file, int lineNo, boolean needCategory, Collection<String> allowed) {
        String where = file + ":" + lineNo + ": ";
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new ChorusException(where + "invalid JSON (" + e.getOriginalMessage() + ")");
        }
        if (node == null || !node.isObject()) {
            throw new ChorusException(where + "expected a JSON object");
        }
        JsonNode prompt = node.get("prompt");
        if (prompt == null || !prompt.isTextual()) {
            throw new ChorusException(where + "missing string field \"prompt\"");
        }
        if (prompt.asText().isBlank()) {
            throw new ChorusException(where + "empty prompt");
        }
        JsonNode category = node.get("category");
        String label = null;
        if (category != null && !category.isNull()) {
            if (!category.isTextual() || category.asText().isBlank()) {
                throw new ChorusException(where + "\"category\" must be a non-empty string");
            }
            label = category.asText();
        }
        if (needCategory && label == null) {
            throw new ChorusException(where + "missing string field \"category\"");
        }
        if (allowed != null && label != null && !allowed.contains(label)) {
            throw new ChorusException(where + "unknown category \"" + label + "\" (allowed: "
                    + String.join(", ", allowed) + ")");
        }
        return new LabeledPrompt(prompt.asText(), label, lineNo);
    }
}
