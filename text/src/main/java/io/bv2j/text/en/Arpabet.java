package io.bv2j.text.en;

import java.util.Map;
import java.util.Set;

/**
 * FreeTTS phone names → the Bert-VITS2 v1.1 English symbols and tones, in the convention the
 * demo voice was trained on (demo-corpus/phonemize.py): lower-case ARPAbet, the consonant v
 * written "V" (lower-case "v" is a Chinese final in the shared table), CMU's reduced schwa "ax"
 * written "ah" (espeak's ə maps there too), and a vowel's tone = its stress + 1 (unstressed 1,
 * primary 2, secondary 3), consonants 0.
 */
final class Arpabet {

    static final int UNSTRESSED = 1, PRIMARY = 2, SECONDARY = 3, CONSONANT = 0;

    private static final Set<String> VOWELS = Set.of("aa", "ae", "ah", "ao", "aw", "ay", "eh", "er", "ey", "ih", "iy",
            "ow", "oy", "uh", "uw");

    /** FreeTTS names that differ from the v1.1 symbols (everything else is already one). */
    private static final Map<String, String> RENAMED = Map.of("ax", "ah", "axr", "er", "v", "V");

    /** One phone as the symbol table names it, with its tone. */
    record Phone(String symbol, int tone) {
        boolean vowel() {
            return VOWELS.contains(symbol);
        }

        Phone withTone(int t) {
            return new Phone(symbol, t);
        }
    }

    private Arpabet() {
    }

    /** "eh1" → eh, tone 2; "ax" → ah, tone 1; "v" → V, tone 0. */
    static Phone convert(String freetts) {
        int last = freetts.length() - 1;
        char c = freetts.charAt(last);
        String base = Character.isDigit(c) ? freetts.substring(0, last) : freetts;
        String symbol = RENAMED.getOrDefault(base, base);
        if (!VOWELS.contains(symbol)) return new Phone(symbol, CONSONANT);
        int tone = !Character.isDigit(c) || c == '0' ? UNSTRESSED : c == '1' ? PRIMARY : SECONDARY;
        return new Phone(symbol, tone);
    }
}
