package io.bv2j.conformance;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;

import java.util.Map;

/** A module file's metadata `module`: {class, args, path} as the reference wrote it. */
record ModuleMetadata(String file, String className, Map<String, Object> args, String path) {
    static ModuleMetadata of(GoldenFile g) {
        String file = g.path().getFileName().toString();
        Object module = g.metaJson("module");
        if (module == null) throw new Bv2jException(file + ": metadata 'module' is missing");
        Map<String, Object> m = Json.obj(module, file + " metadata 'module'");
        Object args = m.get("args");
        Object path = m.get("path");
        return new ModuleMetadata(file, Json.str(m.get("class"), file + " module.class"),
                args == null ? Map.of() : Json.obj(args, file + " module.args"),
                path == null ? null : Json.str(path, file + " module.path"));
    }

    /** Refuses a file made for another class (a renamed or misplaced file). */
    ModuleMetadata requireClass(String expected) {
        if (!className.equals(expected)) throw new Bv2jException(file + ": module is " + className + ", not " + expected);
        return this;
    }

    int i(String key) {
        return Json.int32(get(key), file + " module.args." + key);
    }

    boolean bool(String key) {
        return Json.bool(get(key), file + " module.args." + key);
    }

    double d(String key) {
        return Json.num(get(key), file + " module.args." + key);
    }

    int[] ints(String key) {
        var list = Json.arr(get(key), file + " module.args." + key);
        int[] r = new int[list.size()];
        for (int k = 0; k < r.length; k++) r[k] = Json.int32(list.get(k), file + " module.args." + key + "[" + k + "]");
        return r;
    }

    /**
     * The state-dict prefix of deterministically filled parameters: module.path plus a dot,
     * which metadata `params` must name too (so a file filled under other names is refused).
     */
    String fillPrefix(GoldenFile g) {
        String params = g.meta("params");
        if (path == null || params == null || !params.contains("prefixed " + path + ".")) {
            throw new Bv2jException(file + ": expected deterministically filled parameters named after module.path, "
                    + "got path " + path + " and params '" + params + "'");
        }
        return path + ".";
    }

    private Object get(String key) {
        Object v = args.get(key);
        if (v == null) throw new Bv2jException(file + ": module argument '" + key + "' is missing");
        return v;
    }
}
