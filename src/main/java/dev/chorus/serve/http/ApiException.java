package dev.chorus.serve.http;

/**
 * An error answered in OpenAI's shape: {@code {"error": {"message", "type", "param", "code"}}} with an HTTP status.
 */
public final class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String param;
    private final String code;
    private final Integer retryAfterSeconds;

    private ApiException(int status, String type, String param, String code, String message, Integer retryAfter) {
        super(message);
        this.status = status;
        this.type = type;
        this.param = param;
        this.code = code;
        this.retryAfterSeconds = retryAfter;
    }

    public static ApiException badRequest(String param, String message) {
        return new ApiException(400, "invalid_request_error", param, null, message, null);
    }

    public static ApiException unauthorized(String message) {
        return new ApiException(401, "invalid_request_error", null, "invalid_api_key", message, null);
    }

    public static ApiException modelNotFound(String model, String known) {
        return new ApiException(404, "invalid_request_error", "model", "model_not_found",
                "The model '" + model + "' does not exist. Available: " + known, null);
    }

    public static ApiException notFound(String code, String message) {
        return new ApiException(404, "invalid_request_error", null, code, message, null);
    }

    public static ApiException tooLarge(String param, String code, String message) {
        return new ApiException(413, "invalid_request_error", param, code, message, null);
    }

    public static ApiException queueFull(String message, int retryAfterSeconds) {
        return new ApiException(429, "rate_limit_error", null, "queue_full", message, retryAfterSeconds);
    }

    public static ApiException starting() {
        return new ApiException(503, "server_error", null, "starting",
                "Chorus is starting (loading experts and the router); retry shortly", 1);
    }

    public static ApiException internal(String message) {
        return new ApiException(500, "server_error", null, null, message, null);
    }

    public static ApiException of(int status, String message) {
        String type = status >= 500 ? "server_error" : "invalid_request_error";
        return new ApiException(status, type, null, null, message, null);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String param() {
        return param;
    }

    public String code() {
        return code;
    }

    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
