package dev.chorus.serve.http;

import dev.chorus.ChorusException;
import dev.chorus.chat.ChatTemplateException;
import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.GenerationJob;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.PromptTooLongException;
import dev.chorus.serve.QueueFullException;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.config.ConfigLoader;

import java.util.List;
import java.util.UUID;

/**
 * The request path shared by both completion endpoints: choose the expert (route once, or the pinned one),
 * prepare the prompt with that expert's template, enforce the prompt limit, and queue the job.
 */
final class CompletionPipeline {
    private final ServerMetrics metrics;

    CompletionPipeline(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    Execution start(CompletionCall call, String conversationId, ChorusServices services, long arrivalNanos) {
        RoutingDecision decision = choose(call, conversationId, services);
        ExpertBackend expert = services.experts().get(decision.expertId());
        if (expert == null) {
            throw ApiException.internal("the router chose expert '" + decision.expertId() + "', which is not loaded");
        }
        PreparedPrompt prompt;
        try {
            prompt = expert.prepare(call.request().input());
        } catch (PromptTooLongException e) {
            throw ApiException.tooLarge(call.format() == ApiFormat.CHAT ? "messages" : "prompt",
                    "context_length_exceeded", e.getMessage());
        } catch (ChatTemplateException e) {
            // The template rejected the conversation (roles not alternating, a system turn it does not allow...).
            throw ApiException.badRequest("messages", e.raisedByTemplate()
                    ? "the chat template of expert '" + expert.id() + "' rejected the messages: " + e.getMessage()
                    : "the chat template of expert '" + expert.id() + "' failed on these messages: " + e.getMessage());
        } catch (ChorusException | IllegalArgumentException e) {
            throw ApiException.badRequest(call.format() == ApiFormat.CHAT ? "messages" : "prompt",
                    "expert '" + expert.id() + "' cannot read this input: " + e.getMessage());
        }
        if (prompt.promptTokens() > services.maxPromptTokens()) {
            throw ApiException.tooLarge(call.format() == ApiFormat.CHAT ? "messages" : "prompt",
                    "context_length_exceeded", "the prompt is " + prompt.promptTokens()
                            + " tokens; this server accepts at most " + services.maxPromptTokens());
        }
        EventBuffer events = new EventBuffer(call.stream(), expert.id(), id -> new EventBuffer.ExpertCounters(
                metrics.generatedTokens(id), metrics.cancelledGenerations(id)));
        CancellationToken cancel = new CancellationToken();
        try {
            services.scheduler().submit(new GenerationJob(expert, prompt, call.request(), events, cancel,
                    System.nanoTime(), decision.pinned() ? null : decision.category(), List.of()));
        } catch (QueueFullException e) {
            throw ApiException.queueFull(e.getMessage(), e.retryAfterSeconds());
        }
        String id = call.format().idPrefix + UUID.randomUUID().toString().replace("-", "");
        return new Execution(call, decision, expert, prompt, events, cancel, arrivalNanos, id,
                System.currentTimeMillis() / 1000);
    }

    private RoutingDecision choose(CompletionCall call, String conversationId, ChorusServices services) {
        String model = call.model();
        if (!ConfigLoader.ROUTER_MODEL.equals(model)) {
            if (!services.experts().containsKey(model)) {
                throw ApiException.modelNotFound(model, "chorus, " + String.join(", ", services.experts().keySet()));
            }
            return RoutingDecision.pinned(model);
        }
        long start = System.nanoTime();
        RoutingDecision d = services.router().route(call.request().input().asMessages(), conversationId);
        double millis = (System.nanoTime() - start) / 1e6;
        d = new RoutingDecision(d.category(), d.confidence(), d.expertId(), d.fallbackTaken(), false, millis);
        metrics.routed(d.category() == null ? "none" : d.category(), millis);
        return d;
    }
}
