package dev.chorus.serve;

import java.util.List;

/** Chooses the expert for a request sent to {@code model: "chorus"}. Thread-safe. */
public interface RequestRouter {
    /**
     * @param conversationId an optional id that lets the router keep a conversation on one expert; may be null
     */
    RoutingDecision route(List<ChatMessage> messages, String conversationId);
}
