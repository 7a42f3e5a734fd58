package io.bv2j.text;

/**
 * Which writing system a piece of text is in, for choosing its language ("auto"): kana → JP, Han
 * (without kana) → ZH, else EN. A Han-only sentence is taken as Japanese when the text it comes
 * from has kana elsewhere (Japanese written with kanji only), else as Chinese.
 */
final class Scripts {
    private Scripts() {
    }

    static boolean hasKana(String s) {
        return s.codePoints().anyMatch(Scripts::isKana);
    }

    static boolean hasHan(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    static Language languageOf(String sentence, boolean textHasKana) {
        if (hasKana(sentence)) return Language.JP;
        if (hasHan(sentence)) return textHasKana ? Language.JP : Language.ZH;
        return Language.EN;
    }

    private static boolean isKana(int c) {
        Character.UnicodeScript s = Character.UnicodeScript.of(c);
        return s == Character.UnicodeScript.HIRAGANA || s == Character.UnicodeScript.KATAKANA
                || c == 'ー'; // the long-vowel mark is "common" script but only ever Japanese
    }

    /**
     * Characters any front-end can read: letters and digits of the Latin, Han and kana scripts,
     * white space, and the punctuation and symbols the normalisers map or spell out. Everything
     * else (other scripts, emoji, arrows, ...) is dropped, with a note.
     */
    static boolean readable(int c) {
        if (Character.isWhitespace(c) || Character.isDigit(c)) return true;
        Character.UnicodeScript s = Character.UnicodeScript.of(c);
        if (s == Character.UnicodeScript.LATIN || s == Character.UnicodeScript.HAN || isKana(c)) return true;
        return KNOWN_MARKS.indexOf(c) >= 0;
    }

    private static final String KNOWN_MARKS = ".,;:!?…'\"()[]{}-–—~/$£€%&@+=`’‘“”«»"
            + "。，、；：！？「」『』《》【】（）〈〉～・·〜￥¥";
}
