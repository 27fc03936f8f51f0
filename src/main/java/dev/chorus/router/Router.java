package dev.chorus.router;

import dev.chorus.ChorusException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The runtime router the server calls: prompt -> embedding -> category (with confidence) -> expert, with the
 * uncertainty fallback and conversation stickiness of {@link RoutingPolicy}. Thread-safe. The encoder stays owned
 * by the caller (it may be shared), so closing it is the caller's job.
 */
public final class Router {
    private static final int CONVERSATIONS_REMEMBERED = 10_000;

    private final Encoder encoder;
    private final RouterModel model;
    private final RoutingPolicy policy;
    private final ConversationTracker conversations = new ConversationTracker(CONVERSATIONS_REMEMBERED);

    public Router(Encoder encoder, RouterModel model, RoutingPolicy policy) {
        checkCompatible(encoder, model, "the router");
        this.encoder = encoder;
        this.model = model;
        this.policy = policy;
    }

    /** Loads a router file and checks that it was built with {@code encoder}. */
    public static Router load(Path file, Encoder encoder, RoutingPolicy policy) throws IOException {
        RouterModel model = RouterFile.read(file);
        checkCompatible(encoder, model, "router file " + file);
        return new Router(encoder, model, policy);
    }

    static void checkCompatible(Encoder encoder, RouterModel model, String what) {
        if (!encoder.id().equals(model.encoderId())) {
            throw new ChorusException(what + " was built with encoder \"" + model.encoderId()
                    + "\" but the configured encoder is \"" + encoder.id() + "\"; retrain it with `chorus router train`");
        }
        if (encoder.dimension() != model.dimension()) {
            throw new ChorusException(what + " expects " + model.dimension() + "-dimensional embeddings, encoder \""
                    + encoder.id() + "\" gives " + encoder.dimension());
        }
    }

    public RouterModel model() {
        return model;
    }

    public RoutingPolicy policy() {
        return policy;
    }

    public Encoder encoder() {
        return encoder;
    }

    public double threshold() {
        return Double.isNaN(policy.thresholdOverride()) ? model.threshold() : policy.thresholdOverride();
    }

    public Classification classify(String prompt) {
        return classifyAll(List.of(prompt)).getFirst();
    }

    /** Classifies many prompts with batched embedding. */
    public List<Classification> classifyAll(List<String> prompts) {
        for (String p : prompts) {
            requireText(p);
        }
        List<Classification> out = new ArrayList<>(prompts.size());
        for (float[] v : RouterTrainer.embedAll(encoder, prompts)) {
            out.add(classifyEmbedding(v));
        }
        return out;
    }

    public Classification classifyEmbedding(float[] embedding) {
        double[] p = model.classifier().probabilities(embedding);
        int best = Vectors.argmax(p);
        return new Classification(model.labels().get(best), p[best], p, model.labels());
    }

    /** Routes a single prompt with no conversation. */
    public RouteDecision route(String prompt) {
        return route(RouteRequest.ofPrompt(prompt));
    }

    public RouteDecision route(RouteRequest request) {
        List<String> userTurns = new ArrayList<>();
        for (RouteRequest.Message m : request.messages()) {
            if (m.role().equals("user")) {
                userTurns.add(m.content());
            }
        }
        if (userTurns.isEmpty()) {
            throw new ChorusException("cannot route a request without a user message");
        }
        Classification c = classifyEmbedding(routingEmbedding(userTurns));
        String key = conversationKey(request);
        ConversationTracker.Assignment previous = conversations.get(key);

        String mapped = policy.categoryToExpert().get(c.category());
        boolean fallback = c.confidence() < threshold() || mapped == null;
        String expert = fallback ? policy.fallbackExpert() : mapped;
        boolean sticky = false;
        if (previous != null && !previous.expert().equals(expert) && c.confidence() < policy.switchConfidence()) {
            expert = previous.expert();
            fallback = false;
            sticky = true;
        }
        conversations.put(key, new ConversationTracker.Assignment(c.category(), expert));
        return new RouteDecision(c.category(), c.confidence(), expert, fallback, sticky, key, c.probabilityMap());
    }

    /**
     * The latest user turn's embedding plus earlier user turns with geometrically decaying weight, renormalised.
     * Earlier turns were embedded when they were the latest, so with a {@link CachingEncoder} they cost nothing.
     */
    private float[] routingEmbedding(List<String> userTurns) {
        int last = userTurns.size() - 1;
        requireText(userTurns.get(last));
        List<String> texts = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        double w = 1;
        for (int i = last; i >= 0 && texts.size() <= policy.contextTurns(); i--) {
            if (!userTurns.get(i).isBlank()) {
                texts.add(userTurns.get(i));
                weights.add(w);
            }
            w *= policy.contextDecay();
        }
        List<float[]> vectors = encoder.embed(texts);
        float[] mix = new float[encoder.dimension()];
        for (int t = 0; t < vectors.size(); t++) {
            float[] v = vectors.get(t);
            float wt = weights.get(t).floatValue();
            for (int i = 0; i < mix.length; i++) {
                mix[i] += wt * v[i];
            }
        }
        return Vectors.normalized(mix);
    }

    /**
     * The conversation's identity: the client-supplied id when present, otherwise a hash of the system messages and
     * the first user message, which stay the same as the conversation grows.
     */
    public static String conversationKey(RouteRequest request) {
        if (request.conversationId() != null && !request.conversationId().isBlank()) {
            return "id:" + request.conversationId();
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (RouteRequest.Message m : request.messages()) {
                if (m.role().equals("system") || m.role().equals("user")) {
                    md.update(m.role().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    md.update(m.content().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                }
                if (m.role().equals("user")) {
                    break;
                }
            }
            return "h:" + HexFormat.of().formatHex(md.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireText(String prompt) {
        if (prompt == null || prompt.isBlank()) {
            throw new ChorusException("empty prompt: there is nothing to route");
        }
    }
}
