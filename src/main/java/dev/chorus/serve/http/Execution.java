package dev.chorus.serve.http;

import dev.chorus.serve.CancellationToken;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.PreparedPrompt;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.serve.ServedFrom;

/** A request that has been routed, prepared and queued; its events arrive in {@link #events}. */
record Execution(CompletionCall call, RoutingDecision decision, ExpertBackend expert, PreparedPrompt prompt,
                 EventBuffer events, CancellationToken cancel, long arrivalNanos, String id, long created) {

    /** The expert that answers: the chosen one, or the one it failed over to (known once the answer started). */
    String answeringExpert() {
        ServedFrom served = events.servedFrom();
        return served != null && served.failover() != null ? served.failover().expert() : expert.id();
    }

    String categoryTag() {
        return decision.pinned() ? "pinned" : decision.category();
    }
}
