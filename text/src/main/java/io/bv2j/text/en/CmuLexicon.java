package io.bv2j.text.en;

import com.sun.speech.freetts.en.us.CMULexicon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * FreeTTS's CMU pronouncing dictionary (cmudict 0.4 as compiled for Festival, ~2.6 MB, loaded
 * once per process on first use) with its letter-to-sound rules for words it does not list.
 * Pronunciations are FreeTTS phone names: ARPAbet in lower case, vowels with a stress digit
 * ("eh1") or none (unstressed; cmudict 0.4 as compiled keeps no secondary stress).
 *
 * <p>FreeTTS is not safe for concurrent lookups: its lexicon tokenizes entries lazily and writes
 * them back into a plain HashMap, and the letter-to-sound rules work in one shared buffer. Every
 * lookup therefore holds this object's lock; a lookup is a few microseconds, so sharing one
 * instance costs nothing worth a second copy of the dictionary.
 */
final class CmuLexicon {

    private static final class Shared {
        static final CmuLexicon INSTANCE = new CmuLexicon();
    }

    private final CMULexicon lexicon;

    private CmuLexicon() {
        lexicon = new CMULexicon("cmudict04", true);
        try {
            lexicon.load();
        } catch (IOException e) {
            // the dictionary is inside the FreeTTS jar: a failure is a broken installation
            throw new UncheckedIOException("cannot load FreeTTS's cmudict04 lexicon", e);
        }
    }

    static CmuLexicon shared() {
        return Shared.INSTANCE;
    }

    /** The dictionary's pronunciation of a lower-case word, or null when it does not list it. */
    synchronized List<String> listed(String word) {
        return phones(lexicon.getPhones(lookupForm(word), null, false));
    }

    /** The dictionary's pronunciation, else the letter-to-sound rules' guess (never null for letters a-z). */
    synchronized List<String> pronounce(String word) {
        return phones(lexicon.getPhones(lookupForm(word), null, true));
    }

    /** The dictionary stores contractions and possessives without the apostrophe ("dont", "johns"). */
    private static String lookupForm(String word) {
        return word.replace("'", "");
    }

    /** Letter-to-sound output may fuse phones ("k-s"); those are split. */
    private static List<String> phones(String[] raw) {
        if (raw == null) return null;
        return Arrays.stream(raw).flatMap(p -> Arrays.stream(p.split("-"))).filter(p -> !p.isEmpty()).toList();
    }
}
