package dev.chorus.serve.routing;

import dev.chorus.serve.ChatMessage;
import dev.chorus.serve.RequestRouter;
import dev.chorus.serve.RoutingDecision;
import dev.chorus.router.RouteDecision;
import dev.chorus.router.RouteRequest;
import dev.chorus.router.Router;

import java.util.List;

/** The server's {@link RequestRouter} seam backed by the router package's {@link Router}. */
public final class RouterAdapter implements RequestRouter {
    private final Router router;

    public RouterAdapter(Router router) {
        this.router = router;
    }

    @Override
    public RoutingDecision route(List<ChatMessage> messages, String conversationId) {
        List<RouteRequest.Message> converted = messages.stream()
                .map(m -> new RouteRequest.Message(m.role(), m.content())).toList();
        RouteDecision d = router.route(new RouteRequest(converted, conversationId));
        return new RoutingDecision(d.category(), d.confidence(), d.expert(), d.fallbackTaken(), false, 0);
    }
}
