package io.bv2j.server;

import io.bv2j.io.Json;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A URL query string as name → value, strictly: repeated or unknown names are refused, not guessed at. */
final class Query {
    private final Map<String, String> values;

    private Query(Map<String, String> values) {
        this.values = values;
    }

    /** rawQuery as the URI gives it (still percent-encoded), or null for none. */
    static Query parse(String rawQuery, Set<String> known) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (!known.contains(name)) {
                    throw ApiError.badRequest(name, "unknown parameter '" + name + "' (known: " + new TreeSet<>(known) + ")");
                }
                if (values.putIfAbsent(name, value) != null) throw ApiError.badRequest(name, "parameter '" + name + "' is repeated");
            }
        }
        return new Query(values);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(null, "malformed percent-encoding in the query");
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    float number(String name, float fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            float f = Float.parseFloat(v);
            if (Float.isFinite(f)) return f;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiError.badRequest(name, name + " must be a finite number, got '" + Json.abbreviate(v) + "'");
    }

    long integer(String name, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, name + " must be an integer, got '" + Json.abbreviate(v) + "'");
        }
    }

    boolean bool(String name, boolean fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        return switch (v) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiError.badRequest(name, name + " must be true or false, got '" + Json.abbreviate(v) + "'");
        };
    }
}
