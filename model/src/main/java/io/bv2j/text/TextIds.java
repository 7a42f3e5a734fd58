package io.bv2j.text;


import java.util.List;

/**
 * The reference's text-to-id steps for one filelist line: {@code cleaned_text_to_sequence}
 * (symbol ids; tone id = language-local tone + the language's tone offset, ZH 0 / JP 6 / EN 7;
 * language id ZH 0 / JP 1 / EN 2 for every phone) followed, when {@code data.add_blank} is set, by
 * {@code commons.intersperse(x, 0)} on all three sequences and the word2ph adjustment
 * ({@code word2ph[i] *= 2; word2ph[0] += 1}).
 */
public final class TextIds {

    /** Phone, tone and language ids of one utterance, all of the same length. */
    public record Sequence(int[] phones, int[] tones, int[] languages) {
        public int length() {
            return phones.length;
        }
    }

    private TextIds() {
    }

    /**
     * cleaned_text_to_sequence, then add_blank when asked.
     *
     * @throws io.bv2j.Bv2jException for an unknown symbol or language (callers validate first)
     */
    public static Sequence of(List<String> phones, int[] localTones, String language, boolean addBlank,
            Symbols symbols) {
        if (phones.size() != localTones.length) {
            throw new IllegalArgumentException(phones.size() + " phones but " + localTones.length + " tones");
        }
        int n = phones.size();
        int lang = symbols.languageId(language);
        int offset = symbols.toneStart(language);
        int[] ids = new int[n];
        int[] tones = new int[n];
        int[] langs = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = symbols.id(phones.get(i));
            tones[i] = localTones[i] + offset;
            langs[i] = lang;
        }
        if (!addBlank) {
            return new Sequence(ids, tones, langs);
        }
        return new Sequence(intersperse(ids, 0), intersperse(tones, 0), intersperse(langs, 0));
    }

    /** commons.intersperse: {@code item} before, between and after the elements (length 2n + 1). */
    public static int[] intersperse(int[] seq, int item) {
        int[] out = new int[seq.length * 2 + 1];
        java.util.Arrays.fill(out, item);
        for (int i = 0; i < seq.length; i++) {
            out[2 * i + 1] = seq[i];
        }
        return out;
    }

    /** The add_blank word2ph adjustment: every count doubled, the first one more (for the leading blank). */
    public static int[] blankWord2ph(int[] word2ph) {
        int[] out = new int[word2ph.length];
        for (int i = 0; i < word2ph.length; i++) {
            out[i] = word2ph[i] * 2;
        }
        if (out.length > 0) {
            out[0] += 1;
        }
        return out;
    }

    /** Number of tones of {@code language}: ZH 6, JP 1, EN 4 (the gap to the next language's offset). */
    public static int localToneCount(String language, Symbols symbols) {
        int start = symbols.toneStart(language);
        int next = symbols.numTones();
        for (String other : List.of("ZH", "JP", "EN")) {
            int s = symbols.toneStart(other);
            if (s > start && s < next) {
                next = s;
            }
        }
        return next - start;
    }
}
