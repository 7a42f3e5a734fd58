package io.bv2j.text.zh;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference's Chinese {@code text_normalize}: numbers become Chinese numerals, 嗯 and 呣
 * become 恩 and 母 (syllables the phone table lacks), punctuation is mapped onto the seven
 * punctuation symbols, and everything that is neither a CJK ideograph (U+4E00–U+9FA5) nor one
 * of those symbols is deleted — Latin letters, spaces and ASCII ':' ';' included, as in the
 * reference.
 */
final class ChineseNormalizer {

    /** Python's {@code \d} matches every Unicode decimal digit, so this does too. */
    private static final Pattern NUMBER = Pattern.compile("\\p{Nd}+(?:\\.?\\p{Nd}+)?");

    private static final Map<String, String> PUNCTUATION = Map.ofEntries(
            Map.entry("：", ","), Map.entry("；", ","), Map.entry("，", ","), Map.entry("。", "."),
            Map.entry("！", "!"), Map.entry("？", "?"), Map.entry("\n", "."), Map.entry("·", ","),
            Map.entry("、", ","), Map.entry("...", "…"), Map.entry("$", "."), Map.entry("“", "'"),
            Map.entry("”", "'"), Map.entry("\"", "'"), Map.entry("‘", "'"), Map.entry("’", "'"),
            Map.entry("（", "'"), Map.entry("）", "'"), Map.entry("(", "'"), Map.entry(")", "'"),
            Map.entry("《", "'"), Map.entry("》", "'"), Map.entry("【", "'"), Map.entry("】", "'"),
            Map.entry("[", "'"), Map.entry("]", "'"), Map.entry("—", "-"), Map.entry("～", "-"),
            Map.entry("~", "-"), Map.entry("「", "'"), Map.entry("」", "'"));

    /** The one key longer than a character; the others are single characters. */
    private static final String ELLIPSIS = "...";

    private ChineseNormalizer() {
    }

    static String normalize(String text) {
        return keepPronounceable(mapPunctuation(readNumbers(text).replace('嗯', '恩').replace('呣', '母')));
    }

    private static String readNumbers(String text) {
        Matcher m = NUMBER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(ChineseNumerals.read(m.group())));
        m.appendTail(out);
        return out.toString();
    }

    private static String mapPunctuation(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith(ELLIPSIS, i)) {
                out.append(PUNCTUATION.get(ELLIPSIS));
                i += ELLIPSIS.length();
                continue;
            }
            String c = String.valueOf(text.charAt(i));
            out.append(PUNCTUATION.getOrDefault(c, c));
            i++;
        }
        return out.toString();
    }

    private static String keepPronounceable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (ChineseText.isHan(c) || ChineseText.isPunctuation(c)) out.append(c);
        }
        return out.toString();
    }
}
