package dev.chorus.serve.http;

import dev.chorus.serve.GenerationRequest;

/** A parsed {@code /v1/chat/completions} or {@code /v1/completions} request. */
record CompletionCall(ApiFormat format, String model, GenerationRequest request, boolean stream,
                      boolean includeUsage, String user) {
}
