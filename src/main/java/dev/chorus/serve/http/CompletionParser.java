package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chorus.serve.ChatMessage;
import dev.chorus.serve.GenerationRequest;
import dev.chorus.serve.OutputFormat;
import dev.chorus.serve.PromptInput;
import dev.chorus.serve.SamplingSettings;

import java.util.List;
import java.util.Map;

/**
 * Validates OpenAI request bodies into {@link CompletionCall}s. Unknown fields are ignored (clients send many);
 * fields Chorus cannot honour (n > 1, forced tool choice, JSON mode) are rejected with a 400 that names them.
 */
final class CompletionParser {
    private static final int DEFAULT_COMPLETION_MAX_TOKENS = 16;

    private final int maxOutputTokens;

    CompletionParser(int maxOutputTokens) {
        this.maxOutputTokens = maxOutputTokens;
    }

    CompletionCall parseChat(JsonNode body) {
        JsonFields f = fields(body);
        String model = f.requiredString("model");
        List<ChatMessage> messages = ChatMessagesParser.parse(f.node("messages"));
        Integer maxTokens = f.integer("max_completion_tokens", 1, Integer.MAX_VALUE);
        String maxParam = "max_completion_tokens";
        if (maxTokens == null) {
            maxTokens = f.integer("max_tokens", 1, Integer.MAX_VALUE);
            maxParam = "max_tokens";
        }
        int topLogprobs = -1;
        if (f.bool("logprobs", false)) {
            Integer top = f.integer("top_logprobs", 0, 20);
            topLogprobs = top == null ? 0 : top;
        } else if (f.has("top_logprobs")) {
            throw ApiException.badRequest("top_logprobs", "'top_logprobs' requires 'logprobs': true");
        }
        Map<String, Object> templateVariables = TemplateVariables.of(f);
        f.rejectUnlessNeutral("functions", "'functions' (function calling) is not supported by Chorus experts");
        OutputFormat outputFormat = outputFormat(f.node("response_format"));
        JsonNode toolChoice = f.node("tool_choice");
        boolean toolCalls = templateVariables.containsKey("tools")
                && (toolChoice == null || !"none".equals(toolChoice.asText()));
        return common(f, ApiFormat.CHAT, model, new PromptInput.Chat(messages, templateVariables), maxTokens, maxParam, topLogprobs,
                maxOutputTokens).withToolCalls(toolCalls).withOutputFormat(outputFormat);
    }

    /** {@code response_format}: text, or JSON mode ({@code json_object}); a JSON schema is not enforced, so refused. */
    private static OutputFormat outputFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return OutputFormat.TEXT;
        }
        return switch (format.path("type").asText("")) {
            case "text" -> OutputFormat.TEXT;
            case "json_object" -> OutputFormat.JSON_OBJECT;
            case "json_schema" -> throw ApiException.badRequest("response_format.type", "'json_schema' is not "
                    + "supported: Chorus can hold an answer to one JSON object ('json_object') but does not enforce "
                    + "a schema");
            default -> throw ApiException.badRequest("response_format.type",
                    "'response_format' must be {\"type\": \"text\"} or {\"type\": \"json_object\"}");
        };
    }

    CompletionCall parseText(JsonNode body) {
        JsonFields f = fields(body);
        String model = f.requiredString("model");
        JsonNode p = f.node("prompt");
        String prompt;
        if (p == null) {
            throw ApiException.badRequest("prompt", "'prompt' is required");
        } else if (p.isTextual()) {
            prompt = p.asText();
        } else if (p.isArray() && p.size() == 1 && p.get(0).isTextual()) {
            prompt = p.get(0).asText();
        } else {
            throw ApiException.badRequest("prompt", "'prompt' must be a string (batches of prompts are not supported)");
        }
        Integer maxTokens = f.integer("max_tokens", 1, Integer.MAX_VALUE);
        if (maxTokens == null) {
            maxTokens = Math.min(DEFAULT_COMPLETION_MAX_TOKENS, maxOutputTokens);
        }
        Integer logprobs = f.integer("logprobs", 0, 5);
        f.rejectUnlessNeutral("echo", "'echo' is not supported");
        if (f.has("suffix")) {
            throw ApiException.badRequest("suffix", "'suffix' is not supported");
        }
        Integer bestOf = f.integer("best_of", 1, 1);
        assert bestOf == null || bestOf == 1;
        return common(f, ApiFormat.TEXT, model, new PromptInput.Text(prompt), maxTokens, "max_tokens",
                logprobs == null ? -1 : logprobs, maxOutputTokens);
    }

    private static CompletionCall common(JsonFields f, ApiFormat format, String model, PromptInput input,
                                         Integer maxTokens, String maxParam, int topLogprobs, int maxOutput) {
        Integer n = f.integer("n", 1, 128);
        if (n != null && n != 1) {
            throw ApiException.badRequest("n", "only 'n': 1 is supported (one choice per request)");
        }
        if (maxTokens != null && maxTokens > maxOutput) {
            throw ApiException.badRequest(maxParam, "'" + maxParam + "' is " + maxTokens
                    + " but this server allows at most " + maxOutput + " output tokens");
        }
        int max = maxTokens == null ? maxOutput : maxTokens;
        SamplingSettings sampling = new SamplingSettings(
                f.number("temperature", 1.0, 0, 2),
                f.number("top_p", 1.0, Double.MIN_VALUE, 1),
                f.longValue("seed"),
                f.number("presence_penalty", 0, -2, 2),
                f.number("frequency_penalty", 0, -2, 2));
        List<String> stop = f.stop();
        boolean stream = f.bool("stream", false);
        boolean includeUsage = false;
        JsonNode options = f.node("stream_options");
        if (options != null) {
            if (!stream) {
                throw ApiException.badRequest("stream_options", "'stream_options' is only allowed with 'stream': true");
            }
            JsonNode usage = options.get("include_usage");
            if (usage != null && !usage.isNull() && !usage.isBoolean()) {
                throw ApiException.badRequest("stream_options.include_usage", "'include_usage' must be true or false");
            }
            includeUsage = usage != null && usage.asBoolean(false);
        }
        JsonNode user = f.node("user");
        if (user != null && !user.isTextual()) {
            throw ApiException.badRequest("user", "'user' must be a string");
        }
        return new CompletionCall(format, model, new GenerationRequest(input, sampling, max, stop, topLogprobs,
                f.bool("ignore_eos", false)), stream, includeUsage, user == null ? null : user.asText(), false);
    }

    private static JsonFields fields(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest(null, "the request body must be a JSON object");
        }
        return new JsonFields(body);
    }
}
