package io.bv2j.text;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * Long text into sentences, each ended by the reference's sentence punctuation (. ! ? … and
 * 。！？, or a line break), the marks and any closing quotes or brackets kept with their sentence.
 * A Latin . ! ? ends a sentence only before white space or the end (so "3.5" and "e.g." inside
 * words stay whole), and not after an abbreviation the caller names ("Mr.").
 */
final class SentenceSplitter {
    private static final String ENDS = ".!?…。！？";
    private static final String CJK_ENDS = "。！？";
    private static final String CLOSERS = "\"'”’)]}」』》】）";

    private final BiPredicate<String, String> abbreviation;

    /**
     * @param abbreviation whether a word ending in "." (given lower-case, period included) and
     *     followed by the given text is an abbreviation
     */
    SentenceSplitter(BiPredicate<String, String> abbreviation) {
        this.abbreviation = abbreviation;
    }

    List<String> split(String text) {
        List<String> out = new ArrayList<>();
        int start = 0, n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                add(out, text.substring(start, i));
                start = i + 1;
                continue;
            }
            if (ENDS.indexOf(c) < 0) continue;
            int end = i + 1;
            while (end < n && (ENDS.indexOf(text.charAt(end)) >= 0 || CLOSERS.indexOf(text.charAt(end)) >= 0)) end++;
            boolean cjk = CJK_ENDS.indexOf(c) >= 0 || CJK_ENDS.indexOf(text.charAt(end - 1)) >= 0;
            boolean boundary = end == n || cjk || Character.isWhitespace(text.charAt(end));
            if (boundary && !(c == '.' && end == i + 1 && abbreviation.test(lastWord(text, start, i + 1), text.substring(end, Math.min(n, end + 8))))) {
                add(out, text.substring(start, end));
                start = end;
            }
            i = end - 1;
        }
        add(out, text.substring(start));
        return out;
    }

    private static String lastWord(String text, int from, int to) {
        int s = to;
        while (s > from && !Character.isWhitespace(text.charAt(s - 1))) s--;
        return text.substring(s, to).toLowerCase(java.util.Locale.ROOT);
    }

    private static void add(List<String> out, String sentence) {
        String s = sentence.strip();
        if (!s.isEmpty()) out.add(s);
    }
}
