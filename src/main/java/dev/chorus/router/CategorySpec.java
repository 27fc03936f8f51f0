package dev.chorus.router;

import java.util.List;

/**
 * A category as a config (or the shipped defaults) describes it: a one-paragraph description and example prompts.
 * Both become training points, so a category with little or no data still routes.
 */
public record CategorySpec(String name, String description, List<String> examples) {
    public CategorySpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("category name must not be empty");
        }
        examples = examples == null ? List.of() : List.copyOf(examples);
    }

    /** The texts this spec adds to the training set: the description (when present) and every example. */
    public List<String> trainingTexts() {
        List<String> texts = new java.util.ArrayList<>();
        if (description != null && !description.isBlank()) {
            texts.add(description);
        }
        texts.addAll(examples);
        return texts;
    }
}
