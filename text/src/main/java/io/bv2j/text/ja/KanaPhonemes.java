package io.bv2j.text.ja;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Katakana to phones by the reference's rule table ({@code kana-phonemes.tsv}): at each position
 * the two-kana rule if there is one, else the one-kana rule, else the character itself (which is
 * how punctuation such as {@code !} or {@code …} becomes its own phone). Whether every result is
 * a known symbol is the caller's question.
 */
final class KanaPhonemes {

    private static final String RESOURCE = "kana-phonemes.tsv";

    /** The table ships with bv2j; loaded once, on first use. */
    private static final class Standard {
        static final KanaPhonemes INSTANCE = load();
    }

    private final Map<String, List<String>> oneKana;
    private final Map<String, List<String>> twoKana;

    private KanaPhonemes(Map<String, List<String>> oneKana, Map<String, List<String>> twoKana) {
        this.oneKana = Map.copyOf(oneKana);
        this.twoKana = Map.copyOf(twoKana);
    }

    static KanaPhonemes standard() {
        return Standard.INSTANCE;
    }

    /** The phones of {@code katakana}, longest match first. */
    List<String> phones(String katakana) {
        String text = katakana.strip();
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            List<String> rule = i + 2 <= text.length() ? twoKana.get(text.substring(i, i + 2)) : null;
            if (rule != null) {
                out.addAll(rule);
                i += 2;
                continue;
            }
            int end = text.offsetByCodePoints(i, 1);
            String one = text.substring(i, end);
            rule = oneKana.get(one);
            if (rule != null) {
                out.addAll(rule);
            } else {
                out.add(one);
            }
            i = end;
        }
        return out;
    }

    // A defect in the shipped table is a build defect, not a user error.
    private static KanaPhonemes load() {
        Map<String, List<String>> one = new HashMap<>();
        Map<String, List<String>> two = new HashMap<>();
        try (InputStream in = KanaPhonemes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource io/bv2j/text/ja/" + RESOURCE + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab < 1 || tab > 2) {
                    throw new IllegalStateException(RESOURCE + ":" + number + ": expected one or two kana, a tab, then phones");
                }
                String kana = line.substring(0, tab);
                String phones = line.substring(tab + 1).strip();
                List<String> rule = phones.isEmpty() ? List.of() : Arrays.asList(phones.split(" +"));
                if ((kana.length() == 1 ? one : two).put(kana, List.copyOf(rule)) != null) {
                    throw new IllegalStateException(RESOURCE + ":" + number + ": rule for " + kana + " given twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read io/bv2j/text/ja/" + RESOURCE, e);
        }
        return new KanaPhonemes(one, two);
    }
}
