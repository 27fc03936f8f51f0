package dev.chorus.router;

/** One row of a router data file; {@code category} is null for unlabelled input (e.g. {@code chorus route --data}). */
public record LabeledPrompt(String prompt, String category, int line) {
}
