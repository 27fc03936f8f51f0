package dev.chorus.serve.http;

import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.OutputFormat;

/**
 * A parsed {@code /v1/chat/completions} or {@code /v1/completions} request. {@code toolCalls}: the request offers
 * tools and lets the model call them ({@code tool_choice} not "none"), so tool-call markup in the answer becomes
 * OpenAI {@code tool_calls}.
 */
record CompletionCall(ApiFormat format, String model, GenerationRequest request, boolean stream,
                      boolean includeUsage, String user, boolean toolCalls) {

    CompletionCall withToolCalls(boolean wanted) {
        return new CompletionCall(format, model, request, stream, includeUsage, user, wanted);
    }

    CompletionCall withOutputFormat(OutputFormat outputFormat) {
        return new CompletionCall(format, model, request.withFormat(outputFormat), stream, includeUsage, user,
                toolCalls);
    }
}
