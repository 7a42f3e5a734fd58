package io.bv2j.synth;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;
import io.bv2j.io.Npy;
import io.bv2j.io.RawTensor;
import io.bv2j.model.TextEncoder;
import io.bv2j.text.Symbols;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The synth request file: knobs, `batch`, and utterances with model-level ids (or symbol
 * strings for phones), feature files relative to the request, or with "text" (and optionally
 * "language") read by the text front-end instead. Unknown keys are refused so that a typo cannot
 * silently fall back to a default, and so is a mix of text and phones. Read from a file (bv2j
 * synth) or from a request body (bv2j serve, where feature files are refused: a client must not
 * name files on the server).
 */
public record SynthRequest(SynthesisOptions options, boolean batch, List<Utterance> utterances) {
    private static final long MAX_REQUEST_BYTES = 16 << 20;
    private static final Set<String> TOP_KEYS = Set.of("sdp_ratio", "noise_scale", "noise_scale_w", "length_scale",
            "batch", "utterances");
    private static final Set<String> UTTERANCE_KEYS = Set.of("speaker", "phones", "tones", "languages", "bert",
            "ja_bert", "text", "language");
    private static final Set<String> PHONE_KEYS = Set.of("phones", "tones", "languages", "bert", "ja_bert");

    /** Reads an utterance given as text: one model utterance for the whole text. */
    @FunctionalInterface
    public interface TextReader {
        Utterance read(String text, String language, String speaker, String where);
    }

    /** A request file; feature files are read relative to it. */
    public static SynthRequest read(Path path, SynthesisOptions base, TextReader textReader) {
        String name = path.getFileName().toString();
        String text;
        try {
            if (!Files.isRegularFile(path)) throw new Bv2jException(name + ": no such request file");
            if (Files.size(path) > MAX_REQUEST_BYTES) throw new Bv2jException(name + ": request larger than 16 MiB");
            text = Files.readString(path);
        } catch (IOException e) {
            throw new Bv2jException(name + ": cannot read: " + e.getMessage(), e);
        }
        return parse(text, name, base, path.toAbsolutePath().getParent(), textReader);
    }

    /**
     * A request's JSON text; {@code featureDir} is where "bert"/"ja_bert" .npy files are read from,
     * or null to refuse them.
     */
    public static SynthRequest parse(String text, String name, SynthesisOptions base, Path featureDir,
                                     TextReader textReader) {
        Map<String, Object> root = Json.obj(Json.parse(text, name), name);
        refuseUnknown(root, TOP_KEYS, name);
        SynthesisOptions o = base;
        if (root.containsKey("sdp_ratio")) o = o.withSdpRatio((float) Json.num(root.get("sdp_ratio"), name + ": sdp_ratio"));
        if (root.containsKey("noise_scale")) o = o.withNoiseScale((float) Json.num(root.get("noise_scale"), name + ": noise_scale"));
        if (root.containsKey("noise_scale_w")) o = o.withNoiseScaleW((float) Json.num(root.get("noise_scale_w"), name + ": noise_scale_w"));
        if (root.containsKey("length_scale")) o = o.withLengthScale((float) Json.num(root.get("length_scale"), name + ": length_scale"));
        boolean batch = root.containsKey("batch") && Json.bool(root.get("batch"), name + ": batch");
        if (!root.containsKey("utterances")) throw new Bv2jException(name + ": 'utterances' is missing");
        List<Object> list = Json.arr(root.get("utterances"), name + ": utterances");
        if (list.isEmpty()) throw new Bv2jException(name + ": 'utterances' is empty");
        List<Utterance> us = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            us.add(utterance(list.get(i), name + ": utterances[" + i + "]", featureDir, textReader));
        }
        return new SynthRequest(o, batch, us);
    }

    private static Utterance utterance(Object value, String where, Path dir, TextReader textReader) {
        Map<String, Object> u = Json.obj(value, where);
        refuseUnknown(u, UTTERANCE_KEYS, where);
        Object spk = u.get("speaker");
        String speaker = spk == null ? null : spk instanceof String s ? s : Long.toString(Json.integer(spk, where + ".speaker"));
        if (u.containsKey("text")) {
            for (String k : PHONE_KEYS) {
                if (u.containsKey(k)) throw new Bv2jException(where + ": give either 'text' or phones, not both ('" + k + "' with 'text')");
            }
            String language = u.containsKey("language") ? Json.str(u.get("language"), where + ".language") : "auto";
            return textReader.read(Json.str(u.get("text"), where + ".text"), language, speaker, where);
        }
        if (u.containsKey("language")) throw new Bv2jException(where + ": 'language' goes with 'text' (phones carry 'languages')");
        int[] phones = phones(required(u, "phones", where), where + ".phones");
        int[] tones = ints(required(u, "tones", where), where + ".tones");
        int[] languages = ints(required(u, "languages", where), where + ".languages");
        float[] bert = features(u.get("bert"), dir, TextEncoder.BERT_DIM, phones.length, where + ".bert");
        float[] jaBert = features(u.get("ja_bert"), dir, TextEncoder.JA_BERT_DIM, phones.length, where + ".ja_bert");
        return Utterance.of(speaker, phones, tones, languages).withBert(bert, jaBert);
    }

    private static Object required(Map<String, Object> m, String key, String where) {
        if (!m.containsKey(key)) throw new Bv2jException(where + ": '" + key + "' is missing");
        return m.get(key);
    }

    /** Phone ids, or symbol strings looked up in the v1.1 symbol table. */
    private static int[] phones(Object value, String where) {
        List<Object> l = Json.arr(value, where);
        int[] r = new int[l.size()];
        Symbols symbols = Symbols.standard();
        for (int i = 0; i < r.length; i++) {
            Object p = l.get(i);
            if (p instanceof String s) {
                if (!symbols.contains(s)) throw new Bv2jException(where + "[" + i + "]: unknown symbol '" + s + "'");
                r[i] = symbols.id(s);
            } else {
                r[i] = Json.int32(p, where + "[" + i + "]");
            }
        }
        return r;
    }

    private static int[] ints(Object value, String where) {
        List<Object> l = Json.arr(value, where);
        int[] r = new int[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = Json.int32(l.get(i), where + "[" + i + "]");
        return r;
    }

    /** A float32 .npy [dim, T] relative to the request; absent = zeros (null). */
    private static float[] features(Object value, Path dir, int dim, int t, String where) {
        if (value == null) return null;
        if (dir == null) throw new Bv2jException(where + ": feature files are not read here; give text, or phones without bert");
        Path p = dir.resolve(Json.str(value, where));
        RawTensor r = Npy.read(p);
        long[] s = r.shape();
        if (s.length != 2 || s[0] != dim || s[1] != t) {
            throw new Bv2jException(where + ": " + p.getFileName() + " has shape " + java.util.Arrays.toString(s)
                    + " but [" + dim + ", " + t + "] is needed (one column per phone)");
        }
        return r.toFloats();
    }

    private static void refuseUnknown(Map<String, Object> m, Set<String> known, String where) {
        for (String k : m.keySet()) {
            if (!known.contains(k)) throw new Bv2jException(where + ": unknown key '" + k + "' (known: " + new java.util.TreeSet<>(known) + ")");
        }
    }
}
