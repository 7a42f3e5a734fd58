package io.bv2j.server;

import com.sun.net.httpserver.HttpExchange;
import io.bv2j.io.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading request bodies and writing whole responses on the JDK's HttpExchange. */
final class Exchanges {
    /** Largest request body read: a request file with phones for a long text is well below it. */
    static final int MAX_BODY_BYTES = 1 << 20;

    private Exchanges() {
    }

    static void requireMethod(HttpExchange ex, String method) {
        if (!ex.getRequestMethod().equals(method)) {
            ex.getResponseHeaders().set("Allow", method);
            throw ApiError.methodNotAllowed(method);
        }
    }

    /** The body as strict UTF-8, at most MAX_BODY_BYTES (413 beyond). */
    static String body(HttpExchange ex) throws IOException {
        byte[] bytes = ex.getRequestBody().readNBytes(MAX_BODY_BYTES + 1);
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiError.tooLarge(null, "the request body is larger than this server's limit of " + MAX_BODY_BYTES + " bytes");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ApiError.badRequest(null, "the request body is not valid UTF-8");
        }
    }

    static void sendJson(HttpExchange ex, int status, Object value) throws IOException {
        send(ex, status, "application/json", (Json.write(value) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** The OpenAI-style error body: {"error": {"message", "type", "param", "code"}}. */
    static void sendError(HttpExchange ex, ApiError e) throws IOException {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("type", e.type);
        error.put("param", e.param);
        error.put("code", e.status);
        if (e.retryAfterSeconds > 0) ex.getResponseHeaders().set("Retry-After", Integer.toString(e.retryAfterSeconds));
        sendJson(ex, e.status, Map.of("error", error));
    }
}
