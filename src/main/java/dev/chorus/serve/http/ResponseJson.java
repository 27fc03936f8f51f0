package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.chat.ToolCallSyntax;
import dev.chorus.serve.GeneratedToken;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServedFrom;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Builds OpenAI-shaped response objects (whole responses and stream chunks) for both completion formats. */
final class ResponseJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private ResponseJson() {
    }

    static ObjectNode envelope(Execution x, String object) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", x.id());
        root.put("object", object);
        root.put("created", x.created());
        root.put("model", x.answeringExpert());
        root.putNull("system_fingerprint");
        return root;
    }

    /** The whole (non-streamed) answer. */
    static ObjectNode complete(Execution x, String reasoning, ToolCallSyntax.Reply reply, List<GeneratedToken> tokens,
                               String finishReason, ServedFrom servedFrom) {
        ApiFormat format = x.call().format();
        ObjectNode root = envelope(x, format.object);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (format == ApiFormat.CHAT) {
            ObjectNode message = choice.putObject("message");
            message.put("role", "assistant");
            message.put("content", reply.content());
            if (reasoning != null) {
                message.put("reasoning_content", reasoning);
            }
            if (!reply.calls().isEmpty()) {
                putToolCalls(message, reply.calls(), false);
            }
            message.putNull("refusal");
        } else {
            choice.put("text", reply.content());
        }
        putLogprobs(choice, x, tokens, 0);
        choice.put("finish_reason", finishReason);
        root.set("usage", usage(x.prompt().promptTokens(), tokens.size()));
        root.set("chorus", chorus(x.decision(), servedFrom));
        return root;
    }

    /** A stream chunk carrying {@code text} (chat: as a delta; {@code first} adds the assistant role). */
    static ObjectNode chunk(Execution x, String text, boolean first, List<GeneratedToken> tokens, int textOffset,
                            String finishReason) {
        ApiFormat format = x.call().format();
        ObjectNode root = envelope(x, format.chunkObject);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        if (format == ApiFormat.CHAT) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            if (text != null) {
                delta.put("content", text);
            }
        } else {
            choice.put("text", text == null ? "" : text);
        }
        if (tokens.isEmpty()) {
            choice.putNull("logprobs");
        } else {
            putLogprobs(choice, x, tokens, textOffset);
        }
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return root;
    }

    /** A chunk whose delta carries reasoning (vLLM's and DeepSeek's {@code reasoning_content}). */
    static ObjectNode reasoningChunk(Execution x, String reasoning) {
        ObjectNode root = envelope(x, x.call().format().chunkObject);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("reasoning_content", reasoning);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return root;
    }

    /** A chunk whose delta carries the answer's tool calls, whole. */
    static ObjectNode toolCallChunk(Execution x, List<ToolCallSyntax.ToolCall> calls) {
        ObjectNode root = envelope(x, x.call().format().chunkObject);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        putToolCalls(choice.putObject("delta"), calls, true);
        choice.putNull("logprobs");
        choice.putNull("finish_reason");
        return root;
    }

    /** OpenAI's tool_calls array; stream deltas number each call with an index. */
    private static void putToolCalls(ObjectNode message, List<ToolCallSyntax.ToolCall> calls, boolean indexed) {
        ArrayNode array = message.putArray("tool_calls");
        for (int i = 0; i < calls.size(); i++) {
            ObjectNode call = array.addObject();
            if (indexed) {
                call.put("index", i);
            }
            call.put("id", "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
            call.put("type", "function");
            ObjectNode function = call.putObject("function");
            function.put("name", calls.get(i).name());
            function.put("arguments", calls.get(i).arguments());
        }
    }

    /** The final usage-only chunk of {@code stream_options.include_usage}. */
    static ObjectNode usageChunk(Execution x, int completionTokens) {
        ObjectNode root = envelope(x, x.call().format().chunkObject);
        root.putArray("choices");
        root.set("usage", usage(x.prompt().promptTokens(), completionTokens));
        return root;
    }

    static ObjectNode usage(int prompt, int completion) {
        ObjectNode usage = MAPPER.createObjectNode();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return usage;
    }

    static ObjectNode chorus(RoutingDecision d, ServedFrom servedFrom) {
        ObjectNode c = MAPPER.createObjectNode();
        c.put("expert", d.expertId());
        c.put("category", d.category());
        if (d.confidence() == null) {
            c.putNull("confidence");
        } else {
            c.put("confidence", d.confidence());
        }
        c.put("fallback", d.fallbackTaken());
        c.put("pinned", d.pinned());
        c.put("router_ms", d.routerMillis());
        if (servedFrom != null) {
            c.put("tier", servedFrom.tier());
            c.put("switch_ms", servedFrom.switchMillis());
            if (servedFrom.failover() != null) {
                c.put("expert", servedFrom.failover().expert());
                ArrayNode failed = c.putArray("failed_over_from");
                servedFrom.failover().failed().forEach(failed::add);
            }
        }
        return c;
    }

    private static void putLogprobs(ObjectNode choice, Execution x, List<GeneratedToken> tokens, int textOffset) {
        if (!x.call().request().wantsLogprobs()) {
            choice.putNull("logprobs");
            return;
        }
        ObjectNode logprobs = choice.putObject("logprobs");
        if (x.call().format() == ApiFormat.CHAT) {
            ArrayNode content = logprobs.putArray("content");
            for (GeneratedToken t : tokens) {
                if (t.logprob() == null) {
                    continue;
                }
                ObjectNode entry = content.addObject();
                tokenEntry(entry, t.logprob().token(), t.logprob().logprob());
                ArrayNode top = entry.putArray("top_logprobs");
                for (GeneratedToken.Alternative a : t.logprob().top()) {
                    tokenEntry(top.addObject(), a.token(), a.logprob());
                }
            }
            logprobs.putNull("refusal");
        } else {
            ArrayNode names = logprobs.putArray("tokens");
            ArrayNode values = logprobs.putArray("token_logprobs");
            ArrayNode tops = logprobs.putArray("top_logprobs");
            ArrayNode offsets = logprobs.putArray("text_offset");
            int offset = textOffset;
            for (GeneratedToken t : tokens) {
                if (t.logprob() != null) {
                    names.add(t.logprob().token());
                    values.add(t.logprob().logprob());
                    ObjectNode top = tops.addObject();
                    t.logprob().top().forEach(a -> top.put(a.token(), a.logprob()));
                    offsets.add(offset);
                }
                offset += t.text().length();
            }
        }
    }

    private static void tokenEntry(ObjectNode entry, String token, double logprob) {
        entry.put("token", token);
        entry.put("logprob", logprob);
        ArrayNode bytes = entry.putArray("bytes");
        for (byte b : token.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
    }

    static ObjectNode error(ApiException e) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode err = root.putObject("error");
        err.put("message", e.getMessage());
        err.put("type", e.type());
        err.put("param", e.param());
        err.put("code", e.code());
        return root;
    }
}
