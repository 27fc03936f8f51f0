package dev.chorus.serve;

/** What an answer must be (OpenAI's {@code response_format}): free text, or one JSON object (JSON mode). */
public enum OutputFormat {
    TEXT,
    JSON_OBJECT
}
