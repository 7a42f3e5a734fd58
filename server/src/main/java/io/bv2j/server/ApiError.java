package io.bv2j.server;

/**
 * A request the service refuses, with the HTTP status and the OpenAI-style error body it gets:
 * {"error": {"message", "type", "param", "code"}}. Thrown anywhere in a handler; never a 500.
 */
final class ApiError extends RuntimeException {
    final int status;
    final String type;
    final String param;
    /** Seconds a client should wait before trying again (429, 503), or 0. */
    final int retryAfterSeconds;

    private ApiError(int status, String type, String param, String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.param = param;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    static ApiError badRequest(String param, String message) {
        return new ApiError(400, "invalid_request_error", param, message, 0);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found_error", null, message, 0);
    }

    static ApiError methodNotAllowed(String allowed) {
        return new ApiError(405, "invalid_request_error", null, "method not allowed here (allowed: " + allowed + ")", 0);
    }

    static ApiError tooLarge(String param, String message) {
        return new ApiError(413, "invalid_request_error", param, message, 0);
    }

    static ApiError busy(int retryAfterSeconds) {
        return new ApiError(429, "rate_limit_error", null, "the synthesis queue is full; retry after "
                + retryAfterSeconds + " s", retryAfterSeconds);
    }

    static ApiError internal(String message) {
        return new ApiError(500, "server_error", null, "internal error: " + message, 0);
    }

    static ApiError shuttingDown() {
        return new ApiError(503, "unavailable_error", null, "the server is shutting down", 5);
    }
}
