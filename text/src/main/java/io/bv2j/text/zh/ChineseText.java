package io.bv2j.text.zh;

/** The alphabet of normalised Chinese text: the reference's CJK range and its punctuation symbols. */
final class ChineseText {

    /** The punctuation symbols of the symbol table, each its own phone with tone 0. */
    static final String PUNCTUATION = "!?…,.'-";

    private ChineseText() {
    }

    /** U+4E00–U+9FA5, the range the reference keeps (not the whole CJK block). */
    static boolean isHan(char c) {
        return c >= '\u4e00' && c <= '\u9fa5';
    }

    static boolean isPunctuation(char c) {
        return PUNCTUATION.indexOf(c) >= 0;
    }
}
