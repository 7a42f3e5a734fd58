package io.bv2j.io;

import io.bv2j.Bv2jException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed, named access to one object of a JSON config, so every error reads
 * "config.json: model.hidden_channels must be an integer, not the string "32"".
 */
final class JsonSection {

    private final Map<String, Object> map;
    /** "config.json: model." — prepended to key names in messages. */
    private final String prefix;

    JsonSection(Map<String, Object> map, String prefix) {
        this.map = map;
        this.prefix = prefix;
    }

    /** The nested object {@code key}, required. */
    JsonSection section(String key) {
        return new JsonSection(Json.obj(require(key), name(key)), prefix + key + ".");
    }

    boolean has(String key) {
        return map.containsKey(key);
    }

    String name(String key) {
        return prefix + key;
    }

    Object require(String key) {
        if (!map.containsKey(key)) {
            throw new Bv2jException(name(key) + " is missing");
        }
        return map.get(key);
    }

    int positiveInt(String key) {
        return positive(key, Json.int32(require(key), name(key)));
    }

    int positiveInt(String key, int fallback) {
        return has(key) ? positiveInt(key) : fallback;
    }

    int nonNegativeInt(String key) {
        return nonNegative(key, Json.int32(require(key), name(key)));
    }

    int nonNegativeInt(String key, int fallback) {
        return has(key) ? nonNegativeInt(key) : fallback;
    }

    long integer(String key) {
        return Json.integer(require(key), name(key));
    }

    double number(String key) {
        double v = Json.num(require(key), name(key));
        if (!Double.isFinite(v)) {
            throw new Bv2jException(name(key) + " must be finite");
        }
        return v;
    }

    double positiveNumber(String key) {
        double v = number(key);
        if (!(v > 0)) {
            throw new Bv2jException(name(key) + " must be positive, got " + v);
        }
        return v;
    }

    double nonNegativeNumber(String key) {
        double v = number(key);
        if (v < 0) {
            throw new Bv2jException(name(key) + " must not be negative, got " + v);
        }
        return v;
    }

    double nonNegativeNumber(String key, double fallback) {
        return has(key) ? nonNegativeNumber(key) : fallback;
    }

    boolean bool(String key) {
        return Json.bool(require(key), name(key));
    }

    boolean bool(String key, boolean fallback) {
        return has(key) ? bool(key) : fallback;
    }

    /** A string, or {@code fallback} when the key is absent. */
    String string(String key, String fallback) {
        return has(key) ? Json.str(map.get(key), name(key)) : fallback;
    }

    /** A list of positive ints, non-empty. */
    List<Integer> positiveInts(String key) {
        return positiveInts(Json.arr(require(key), name(key)), name(key));
    }

    /** A non-empty list of non-empty lists of positive ints. */
    List<List<Integer>> positiveIntLists(String key) {
        List<Object> outer = Json.arr(require(key), name(key));
        if (outer.isEmpty()) {
            throw new Bv2jException(name(key) + " must not be empty");
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < outer.size(); i++) {
            String what = name(key) + "[" + i + "]";
            out.add(positiveInts(Json.arr(outer.get(i), what), what));
        }
        return List.copyOf(out);
    }

    private List<Integer> positiveInts(List<Object> list, String what) {
        if (list.isEmpty()) {
            throw new Bv2jException(what + " must not be empty");
        }
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            int v = Json.int32(list.get(i), what + "[" + i + "]");
            if (v <= 0) {
                throw new Bv2jException(what + "[" + i + "] must be positive, got " + v);
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private int positive(String key, int v) {
        if (v <= 0) {
            throw new Bv2jException(name(key) + " must be positive, got " + v);
        }
        return v;
    }

    private int nonNegative(String key, int v) {
        if (v < 0) {
            throw new Bv2jException(name(key) + " must not be negative, got " + v);
        }
        return v;
    }
}
