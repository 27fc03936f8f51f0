package dev.chorus.serve.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Request bounds: waiting requests per expert, prompt and output tokens, request body bytes. */
public record Limits(
        @JsonProperty("max_queue") Integer maxQueue,
        @JsonProperty("max_prompt_tokens") Integer maxPromptTokens,
        @JsonProperty("max_output_tokens") Integer maxOutputTokens,
        @JsonProperty("max_request_bytes") ByteSize maxRequestBytes) {

    public static final int DEFAULT_MAX_QUEUE = 64;
    public static final int DEFAULT_MAX_PROMPT_TOKENS = 8192;
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 2048;
    public static final ByteSize DEFAULT_MAX_REQUEST_BYTES = ByteSize.parse("1m");

    public static Limits defaults() {
        return new Limits(null, null, null, null);
    }

    public int maxQueueOrDefault() {
        return maxQueue == null ? DEFAULT_MAX_QUEUE : maxQueue;
    }

    public int maxPromptTokensOrDefault() {
        return maxPromptTokens == null ? DEFAULT_MAX_PROMPT_TOKENS : maxPromptTokens;
    }

    public int maxOutputTokensOrDefault() {
        return maxOutputTokens == null ? DEFAULT_MAX_OUTPUT_TOKENS : maxOutputTokens;
    }

    public long maxRequestBytesOrDefault() {
        return maxRequestBytes == null ? DEFAULT_MAX_REQUEST_BYTES.bytes() : maxRequestBytes.bytes();
    }
}
