package io.bv2j.server;

import io.bv2j.io.Json;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The voices a server speaks with, by name; the first is the default. Closing frees their weights. */
final class Voices implements AutoCloseable {
    private final Map<String, Voice> byName = new LinkedHashMap<>();

    Voices(List<Voice> voices) {
        if (voices.isEmpty()) throw new IllegalArgumentException("a server needs at least one voice");
        for (Voice v : voices) {
            if (byName.putIfAbsent(v.name(), v) != null) throw new IllegalArgumentException("voice '" + v.name() + "' is given twice");
        }
    }

    /** The voice called name, or the default for null; {@code param} names the field in the error. */
    Voice get(String name, String param) {
        if (name == null || name.isEmpty()) return byName.values().iterator().next();
        Voice v = byName.get(name);
        if (v == null) throw ApiError.badRequest(param, "unknown voice '" + Json.abbreviate(name) + "' (voices: "
                + String.join(", ", byName.keySet()) + ")");
        return v;
    }

    List<Voice> all() {
        return List.copyOf(byName.values());
    }

    @Override
    public void close() {
        for (Voice v : byName.values()) v.synth().close();
    }
}
