package io.bv2j.text;

import io.bv2j.Bv2jException;
import io.bv2j.io.Json;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Bert-VITS2 v1.1 phone symbol table, its tone count and the language ids and tone offsets,
 * loaded from the reference {@code symbols.json} kept verbatim as a classpath resource, so the ids
 * match the embedding rows of every checkpoint trained by the reference.
 */
public final class Symbols {

    private static final String RESOURCE = "symbols.json";

    /** Loaded on first use; the table is immutable and shared. */
    private static final class Standard {
        static final Symbols INSTANCE = load();
    }

    private final List<String> symbols;
    private final Map<String, Integer> ids;
    private final String pad;
    private final List<String> punctuation;
    private final int numTones;
    private final Map<String, Integer> languageIds;
    private final Map<String, Integer> toneStarts;

    private Symbols(List<String> symbols, String pad, List<String> punctuation, int numTones,
            Map<String, Integer> languageIds, Map<String, Integer> toneStarts) {
        this.symbols = List.copyOf(symbols);
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < symbols.size(); i++) {
            if (index.put(symbols.get(i), i) != null) {
                throw new IllegalStateException(RESOURCE + ": symbol '" + symbols.get(i) + "' appears twice");
            }
        }
        this.ids = Map.copyOf(index);
        this.pad = pad;
        this.punctuation = List.copyOf(punctuation);
        this.numTones = numTones;
        this.languageIds = languageIds;
        this.toneStarts = toneStarts;
    }

    /** The reference table (112 symbols, 11 tones, languages ZH 0, JP 1, EN 2). */
    public static Symbols standard() {
        return Standard.INSTANCE;
    }

    /** Number of symbols: the rows of the text encoder's symbol embedding. */
    public int size() {
        return symbols.size();
    }

    /** The id of {@code symbol}. */
    public int id(String symbol) {
        Integer id = ids.get(symbol);
        if (id == null) {
            throw new Bv2jException("unknown phone symbol '" + symbol + "' (not in the Bert-VITS2 v1.1 symbol table)");
        }
        return id;
    }

    public boolean contains(String symbol) {
        return ids.containsKey(symbol);
    }

    /** The symbol with id {@code id}. */
    public String symbol(int id) {
        if (id < 0 || id >= symbols.size()) {
            throw new Bv2jException("symbol id " + id + " is out of range [0, " + symbols.size() + ")");
        }
        return symbols.get(id);
    }

    /** All symbols in id order. */
    public List<String> symbols() {
        return symbols;
    }

    /** The padding symbol, id 0, also inserted as the blank by add_blank. */
    public String pad() {
        return pad;
    }

    /** The punctuation symbols (! ? … , . ' -). */
    public List<String> punctuation() {
        return punctuation;
    }

    /** Total tones over all languages: the rows of the tone embedding. */
    public int numTones() {
        return numTones;
    }

    /** Number of languages: the rows of the language embedding. */
    public int numLanguages() {
        return languageIds.size();
    }

    /** The id of a language code ("ZH", "JP", "EN"). */
    public int languageId(String language) {
        return lookup(languageIds, language);
    }

    /** The offset added to a language-local tone to get the global tone id. */
    public int toneStart(String language) {
        return lookup(toneStarts, language);
    }

    private static int lookup(Map<String, Integer> map, String language) {
        Integer v = map.get(language);
        if (v == null) {
            throw new Bv2jException("unknown language '" + language + "' (known: " + String.join(", ", map.keySet()) + ")");
        }
        return v;
    }

    // The resource ships with bv2j, so a problem in it is a build defect, not a user error.
    private static Symbols load() {
        String text;
        try (InputStream in = Symbols.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource io/bv2j/text/" + RESOURCE + " is missing");
            }
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read io/bv2j/text/" + RESOURCE, e);
        }
        Map<String, Object> root = Json.obj(Json.parse(text, RESOURCE), RESOURCE);
        List<String> symbols = strings(root.get("symbols"), "symbols");
        String pad = Json.str(root.get("pad"), RESOURCE + ": pad");
        if (!symbols.getFirst().equals(pad)) {
            throw new IllegalStateException(RESOURCE + ": the pad symbol must have id 0");
        }
        return new Symbols(symbols, pad, strings(root.get("punctuation"), "punctuation"),
                Json.int32(root.get("num_tones"), RESOURCE + ": num_tones"),
                ints(root.get("language_id_map"), "language_id_map"),
                ints(root.get("language_tone_start_map"), "language_tone_start_map"));
    }

    private static List<String> strings(Object value, String key) {
        return Json.arr(value, RESOURCE + ": " + key).stream().map(s -> Json.str(s, RESOURCE + ": " + key)).toList();
    }

    private static Map<String, Integer> ints(Object value, String key) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Json.obj(value, RESOURCE + ": " + key).forEach((k, v) -> out.put(k, Json.int32(v, RESOURCE + ": " + key + "." + k)));
        return Collections.unmodifiableMap(out);
    }
}
