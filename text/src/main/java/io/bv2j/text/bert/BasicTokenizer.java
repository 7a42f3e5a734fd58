package io.bv2j.text.bert;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BERT's basic tokenizer, the step before WordPiece: drops NUL, U+FFFD and control characters,
 * makes every CJK ideograph its own word, splits on white space, optionally lower-cases and
 * strips accents (NFD, combining marks removed), and makes every punctuation mark its own word.
 * Character classes follow Hugging Face's BasicTokenizer.
 */
final class BasicTokenizer {
    private final boolean lowerCase;
    private final boolean stripAccents;
    private final boolean splitCjk;

    /** stripAccents null: strip exactly when lower-casing (Hugging Face's default). */
    BasicTokenizer(boolean lowerCase, Boolean stripAccents, boolean splitCjk) {
        this.lowerCase = lowerCase;
        this.stripAccents = stripAccents == null ? lowerCase : stripAccents;
        this.splitCjk = splitCjk;
    }

    List<String> words(String text) {
        String cleaned = Normalizer.normalize(clean(text), Normalizer.Form.NFC);
        List<String> out = new ArrayList<>();
        for (String word : whitespaceSplit(cleaned)) {
            if (lowerCase) word = word.toLowerCase(Locale.ROOT);
            if (stripAccents) word = withoutAccents(word);
            splitPunctuation(word, out);
        }
        return out;
    }

    /** Control characters removed, white space made a plain space, CJK ideographs spaced apart. */
    private String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) return;
            if (isWhitespace(cp)) {
                sb.append(' ');
            } else if (splitCjk && isCjk(cp)) {
                sb.append(' ').appendCodePoint(cp).append(' ');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** Words between runs of white space (what Python's str.split() sees as space). */
    static List<String> whitespaceSplit(String text) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            boolean space = Character.isWhitespace(cp) || Character.isSpaceChar(cp);
            if (space && start >= 0) {
                out.add(text.substring(start, i));
                start = -1;
            } else if (!space && start < 0) {
                start = i;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) out.add(text.substring(start));
        return out;
    }

    private static String withoutAccents(String word) {
        String nfd = Normalizer.normalize(word, Normalizer.Form.NFD);
        StringBuilder sb = new StringBuilder(nfd.length());
        nfd.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    private static void splitPunctuation(String word, List<String> out) {
        StringBuilder run = new StringBuilder();
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            if (isPunctuation(cp)) {
                if (!run.isEmpty()) out.add(run.toString());
                run.setLength(0);
                out.add(Character.toString(cp));
            } else {
                run.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        if (!run.isEmpty()) out.add(run.toString());
    }

    private static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    /** Unicode's C* categories, tab, newline and carriage return excepted (they are white space). */
    private static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') return false;
        int t = Character.getType(cp);
        return t == Character.CONTROL || t == Character.FORMAT || t == Character.PRIVATE_USE
                || t == Character.SURROGATE || t == Character.UNASSIGNED;
    }

    /** Unicode's P* categories, and every non-alphanumeric printable ASCII character (^, $, `, ...). */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK ideograph blocks BERT splits per character (not kana or hangul: those are written with spaces or not at all). */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
