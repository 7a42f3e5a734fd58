package io.bv2j.text.ja;

import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference's Japanese {@code text_normalize} (Bert-VITS2 1.1.1): NFKC; numbers to kanji
 * numerals (thousands separators dropped, a currency sign before a number becomes its name after
 * it); a few punctuation marks mapped to the symbol table's; then every character that is not
 * hiragana, katakana, a CJK ideograph (U+4E00–U+9FFF, U+3400–U+4DBF) or one of
 * {@code ! ? … , . ' -} deleted, Latin letters and 々 included.
 */
final class JapaneseNormalizer {

    private static final Pattern GROUPED_NUMBER = Pattern.compile("[0-9]{1,3}(,[0-9]{3})+");
    private static final Pattern CURRENCY_AMOUNT = Pattern.compile("([$¥£€])([0-9.]*[0-9])");
    private static final Map<String, String> CURRENCY_NAMES = Map.of("$", "ドル", "¥", "円", "£", "ポンド", "€", "ユーロ");
    private static final Pattern NUMBER = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    /*
     * 1.1.1's map is this short (quotes and brackets are simply deleted, unlike in later
     * versions), and it runs after NFKC, so its full-width ：；，！？ entries never match: NFKC has
     * already made them ASCII, and only , ! ? of those survive the filter.
     */
    private static final Pattern MAPPED_PUNCTUATION = Pattern.compile("[：；，。！？\n·、]|\\.\\.\\.");
    private static final Map<String, String> PUNCTUATION_MAP = Map.of(
            "：", ",", "；", ",", "，", ",", "。", ".", "！", "!", "？", "?", "\n", ".", "·", ",", "、", ",", "...", "…");
    private static final Pattern NOT_KEPT = Pattern.compile("[^\\u3040-\\u309F\\u30A0-\\u30FF\\u4E00-\\u9FFF\\u3400-\\u4DBF!?…,.'\\-]+");

    private JapaneseNormalizer() {
    }

    static String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = numbersToWords(s);
        s = MAPPED_PUNCTUATION.matcher(s).replaceAll(m -> Matcher.quoteReplacement(PUNCTUATION_MAP.get(m.group())));
        return NOT_KEPT.matcher(s).replaceAll("");
    }

    /** 1,234 → 1234; $5 → 5ドル; then every number → kanji (the reference's three passes, in order). */
    static String numbersToWords(String text) {
        String s = GROUPED_NUMBER.matcher(text).replaceAll(m -> m.group().replace(",", ""));
        s = CURRENCY_AMOUNT.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(2) + CURRENCY_NAMES.get(m.group(1))));
        return NUMBER.matcher(s).replaceAll(m -> KanjiNumber.read(m.group()));
    }
}
