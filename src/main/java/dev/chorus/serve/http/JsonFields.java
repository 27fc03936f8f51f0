package dev.chorus.serve.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Reads optional, typed fields of a JSON request body; a wrong type or range is a 400 that names the field. */
final class JsonFields {
    private final JsonNode body;

    JsonFields(JsonNode body) {
        this.body = body;
    }

    boolean has(String name) {
        JsonNode n = body.get(name);
        return n != null && !n.isNull();
    }

    JsonNode node(String name) {
        JsonNode n = body.get(name);
        return n == null || n.isNull() ? null : n;
    }

    String requiredString(String name) {
        JsonNode n = node(name);
        if (n == null) {
            throw ApiException.badRequest(name, "'" + name + "' is required");
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(name, "'" + name + "' must be a string");
        }
        return n.asText();
    }

    double number(String name, double defaultValue, double min, double max) {
        JsonNode n = node(name);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isNumber()) {
            throw ApiException.badRequest(name, "'" + name + "' must be a number");
        }
        double v = n.asDouble();
        if (!(v >= min && v <= max)) {
            throw ApiException.badRequest(name, "'" + name + "' must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    Integer integer(String name, long min, long max) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber() && !(n.isNumber() && n.asDouble() == Math.rint(n.asDouble()))) {
            throw ApiException.badRequest(name, "'" + name + "' must be an integer");
        }
        long v = n.asLong();
        if (v < min || v > max) {
            throw ApiException.badRequest(name, "'" + name + "' must be between " + min + " and " + max + ", not " + v);
        }
        return (int) v;
    }

    Long longValue(String name) {
        JsonNode n = node(name);
        if (n == null) {
            return null;
        }
        if (!n.isIntegralNumber()) {
            throw ApiException.badRequest(name, "'" + name + "' must be an integer");
        }
        return n.asLong();
    }

    boolean bool(String name, boolean defaultValue) {
        JsonNode n = node(name);
        if (n == null) {
            return defaultValue;
        }
        if (!n.isBoolean()) {
            throw ApiException.badRequest(name, "'" + name + "' must be true or false");
        }
        return n.asBoolean();
    }

    /** OpenAI's {@code stop}: a string or an array of up to 4 non-empty strings. */
    List<String> stop() {
        JsonNode n = node("stop");
        List<String> out = new ArrayList<>();
        if (n == null) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
        } else if (n.isArray()) {
            if (n.size() > 4) {
                throw ApiException.badRequest("stop", "'stop' may hold at most 4 sequences");
            }
            for (JsonNode s : n) {
                if (!s.isTextual()) {
                    throw ApiException.badRequest("stop", "'stop' must be a string or an array of strings");
                }
                out.add(s.asText());
            }
        } else {
            throw ApiException.badRequest("stop", "'stop' must be a string or an array of strings");
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiException.badRequest("stop", "'stop' sequences must not be empty");
        }
        return out;
    }

    /** Rejects a field Chorus does not support unless it is absent or equals its neutral value. */
    void rejectUnlessNeutral(String name, String why) {
        JsonNode n = node(name);
        if (n == null || n.isBoolean() && !n.asBoolean() || n.isArray() && n.isEmpty()) {
            return;
        }
        throw ApiException.badRequest(name, why);
    }
}
