package dev.chorus.serve.http;

import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.RoutingDecision;

/** A request that has been routed, prepared and queued; its events arrive in {@link #events}. */
record Execution(CompletionCall call, RoutingDecision decision, ExpertBackend expert, PreparedPrompt prompt,
                 EventBuffer events, CancellationToken cancel, long arrivalNanos, String id, long created) {

    String categoryTag() {
        return decision.pinned() ? "pinned" : decision.category();
    }
}
