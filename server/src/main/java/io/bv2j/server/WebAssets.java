package io.bv2j.server;

import io.bv2j.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/** The web page's files, from the class path (io/bv2j/server/web/): only plain names with known types. */
final class WebAssets {
    private static final String DIR = "/io/bv2j/server/web/";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private WebAssets() {
    }

    record Asset(String contentType, byte[] bytes) {
    }

    /** The file called name (e.g. "app.js"), or a 404 for anything else. */
    static Asset get(String name) throws IOException {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1));
        if (type == null || !name.matches("[a-z0-9_-]{1,64}\\.[a-z]{2,4}")) throw ApiError.notFound("no such file: /web/" + Json.abbreviate(name));
        try (InputStream in = WebAssets.class.getResourceAsStream(DIR + name)) {
            if (in == null) throw ApiError.notFound("no such file: /web/" + name);
            return new Asset(type, in.readAllBytes());
        }
    }
}
