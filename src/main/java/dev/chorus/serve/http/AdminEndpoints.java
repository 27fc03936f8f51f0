package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chorus.serve.ChorusServices;
import dev.chorus.serve.ExpertBackend;
import dev.chorus.serve.ExpertState;
import dev.chorus.serve.ServerMetrics;
import dev.chorus.serve.TextEmbedder;
import dev.chorus.serve.config.ConfigLoader;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/** The non-generating endpoints: models, embeddings, and the expert tier view with its load/unload/pin actions. */
final class AdminEndpoints {
    private static final long CREATED = System.currentTimeMillis() / 1000;
    private static final int MAX_EMBEDDING_INPUTS = 256;

    private final Supplier<ChorusServices> services;
    private final ServerMetrics metrics;

    AdminEndpoints(Supplier<ChorusServices> services, ServerMetrics metrics) {
        this.services = services;
        this.metrics = metrics;
    }

    ObjectNode models() {
        ChorusServices s = services.get();
        ObjectNode root = ChorusServer.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        data.add(modelEntry(ConfigLoader.ROUTER_MODEL, "Routes each request to the best expert"));
        for (ExpertBackend e : s.experts().values()) {
            data.add(modelEntry(e.id(), e.description()));
        }
        return root;
    }

    ObjectNode model(String id) {
        ChorusServices s = services.get();
        if (ConfigLoader.ROUTER_MODEL.equals(id)) {
            return modelEntry(id, "Routes each request to the best expert");
        }
        ExpertBackend e = s.experts().get(id);
        if (e == null) {
            throw ApiException.modelNotFound(id, "chorus, " + String.join(", ", s.experts().keySet()));
        }
        return modelEntry(id, e.description());
    }

    private static ObjectNode modelEntry(String id, String description) {
        return ChorusServer.object().put("id", id).put("object", "model").put("created", CREATED)
                .put("owned_by", "chorus").put("description", description);
    }

    ObjectNode embeddings(JsonNode body) {
        ChorusServices s = services.get();
        TextEmbedder embedder = s.embedder();
        if (embedder == null) {
            throw ApiException.notFound("model_not_found", "this server has no embedding model");
        }
        JsonFields f = new JsonFields(body.isObject() ? body : ChorusServer.object());
        String model = f.requiredString("model");
        if (!model.equals(ConfigLoader.ROUTER_MODEL) && !model.equals(embedder.modelName())) {
            throw ApiException.modelNotFound(model, "chorus, " + embedder.modelName());
        }
        List<String> inputs = inputs(f.node("input"));
        JsonNode encodingNode = f.node("encoding_format");
        String encoding = encodingNode == null ? "float" : encodingNode.asText();
        if (!encoding.equals("float") && !encoding.equals("base64")) {
            throw ApiException.badRequest("encoding_format", "'encoding_format' must be 'float' or 'base64'");
        }
        if (f.has("dimensions")) {
            throw ApiException.badRequest("dimensions", "'dimensions' is not supported (the encoder's size is fixed)");
        }
        ObjectNode root = ChorusServer.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        int tokens = 0;
        for (int i = 0; i < inputs.size(); i++) {
            float[] vector = embedder.embed(inputs.get(i));
            tokens += embedder.countTokens(inputs.get(i));
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            if (encoding.equals("float")) {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            } else {
                ByteBuffer buf = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : vector) {
                    buf.putFloat(v);
                }
                item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
            }
        }
        metrics.embedding(inputs.size());
        root.put("model", embedder.modelName());
        root.putObject("usage").put("prompt_tokens", tokens).put("total_tokens", tokens);
        return root;
    }

    private static List<String> inputs(JsonNode input) {
        if (input == null) {
            throw ApiException.badRequest("input", "'input' is required");
        }
        List<String> out = new ArrayList<>();
        if (input.isTextual()) {
            out.add(input.asText());
        } else if (input.isArray() && !input.isEmpty() && input.size() <= MAX_EMBEDDING_INPUTS) {
            for (JsonNode n : input) {
                if (!n.isTextual()) {
                    throw ApiException.badRequest("input", "'input' must be a string or an array of strings"
                            + " (token arrays are not supported)");
                }
                out.add(n.asText());
            }
        } else {
            throw ApiException.badRequest("input", "'input' must be a string or an array of 1.."
                    + MAX_EMBEDDING_INPUTS + " strings");
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badRequest("input", "'input' strings must not be empty");
        }
        return out;
    }

    ObjectNode experts() {
        ChorusServices s = services.get();
        ObjectNode root = ChorusServer.object().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (ExpertState st : s.tiers().states()) {
            data.add(expertEntry(s, st));
        }
        return root;
    }

    ObjectNode act(String id, String action, String pinnedParam) {
        ChorusServices s = services.get();
        if (!s.experts().containsKey(id)) {
            throw ApiException.notFound("expert_not_found", "no expert '" + id + "'; experts: "
                    + String.join(", ", s.experts().keySet()));
        }
        try {
            apply(s, id, action, pinnedParam);
        } catch (IllegalStateException e) {
            throw ApiException.of(409, e.getMessage());
        }
        return s.tiers().states().stream().filter(st -> st.id().equals(id)).findFirst()
                .map(st -> expertEntry(s, st)).orElseThrow();
    }

    private static void apply(ChorusServices s, String id, String action, String pinnedParam) {
        switch (action) {
            case "load" -> s.tiers().load(id);
            case "unload" -> s.tiers().unload(id);
            case "pin" -> {
                if (pinnedParam != null && !pinnedParam.equals("true") && !pinnedParam.equals("false")) {
                    throw ApiException.badRequest("pinned", "'pinned' must be true or false");
                }
                s.tiers().pin(id, !"false".equals(pinnedParam));
            }
            case "unpin" -> s.tiers().pin(id, false);
            default -> throw ApiException.notFound("unknown_url", "unknown expert action '" + action
                    + "' (load, unload, pin, unpin)");
        }
    }

    private static ObjectNode expertEntry(ChorusServices s, ExpertState st) {
        ObjectNode e = ChorusServer.object();
        e.put("id", st.id());
        e.put("object", "expert");
        e.put("kind", st.kind());
        ExpertBackend backend = s.experts().get(st.id());
        e.put("description", backend == null ? "" : backend.description());
        e.put("tier", st.tier());
        e.put("bytes", st.bytes());
        e.put("pinned", st.pinned());
        e.put("queued", s.scheduler().queued(st.id()));
        e.set("stats", ResponseJson.MAPPER.valueToTree(st.stats()));
        return e;
    }
}
