package dev.chorus.serve.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/** Reads a JSON body with a hard size bound, whether or not the client sent Content-Length. */
final class RequestBodies {
    private RequestBodies() {
    }

    static JsonNode json(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared, maxBytes);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new ClientGoneException("the connection broke while the request body was read: " + e, e);
        }
        if (body.length > maxBytes) {
            throw tooLarge(-1, maxBytes);
        }
        if (body.length == 0) {
            throw ApiException.badRequest(null, "the request body is empty; send a JSON object");
        }
        try {
            return ResponseJson.MAPPER.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.badRequest(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest(null, "could not read the request body: " + e.getMessage());
        }
    }

    private static ApiException tooLarge(long declared, long max) {
        return ApiException.tooLarge(null, "request_too_large", "the request body"
                + (declared >= 0 ? " is " + declared + " bytes;" : " is too large;")
                + " this server accepts at most " + max + " bytes");
    }
}
