package io.bv2j.text.en;

import com.ibm.icu.text.RuleBasedNumberFormat;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English text as words to be read aloud: numbers, ordinals, years, decimals, times, currency,
 * percentages and common abbreviations spelled out (ICU's rule-based spell-out), accents removed,
 * lower-cased, and punctuation reduced to the marks the demo voice was trained with
 * (demo-corpus/phonemize.py): , . ? ! — ; and : become ",", an ellipsis ".", a dash between words
 * ","; quotes and brackets are dropped (not spoken). The result holds only a-z, the apostrophe
 * inside words, single spaces and , . ? !; any other character is dropped.
 */
final class EnglishNormalizer {

    /** Abbreviations read as words when written with their period (lower-case, period included). */
    static final Map<String, String> ABBREVIATIONS = Map.ofEntries(
            Map.entry("mr.", "mister"), Map.entry("mrs.", "missus"), Map.entry("ms.", "miz"),
            Map.entry("dr.", "doctor"), Map.entry("prof.", "professor"), Map.entry("jr.", "junior"),
            Map.entry("sr.", "senior"), Map.entry("st.", "saint"), Map.entry("mt.", "mount"),
            Map.entry("vs.", "versus"), Map.entry("etc.", "et cetera"), Map.entry("e.g.", "for example"),
            Map.entry("i.e.", "that is"), Map.entry("approx.", "approximately"),
            Map.entry("jan.", "january"), Map.entry("feb.", "february"), Map.entry("aug.", "august"),
            Map.entry("sept.", "september"), Map.entry("oct.", "october"), Map.entry("nov.", "november"),
            Map.entry("dec.", "december"));

    private static final Pattern ABBREVIATION = Pattern.compile(
            "(?<![\\p{L}.])(" + String.join("|", ABBREVIATIONS.keySet().stream().map(Pattern::quote).toList()) + ")",
            Pattern.CASE_INSENSITIVE);
    // "no." is a number sign only before digits ("no. 5"); elsewhere it ends a sentence ("I said no.")
    private static final Pattern NUMBER_SIGN = Pattern.compile("(?i)(?<![\\p{L}.])no\\.(?=\\s*\\d)");
    /** An amount: digits with optional thousands separators ("1,250") and decimals; a trailing comma is punctuation. */
    private static final String AMOUNT = "((?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?)";
    private static final Pattern CURRENCY = Pattern.compile("([$£€])\\s?" + AMOUNT);
    private static final Pattern PERCENT = Pattern.compile(AMOUNT + "\\s?%");
    private static final Pattern ORDINAL = Pattern.compile("\\b(\\d+)(?:st|nd|rd|th)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIME = Pattern.compile("\\b([01]?\\d|2[0-3]):([0-5]\\d)\\b");
    private static final Pattern THOUSANDS = Pattern.compile("\\b\\d{1,3}(?:,\\d{3})+\\b");
    /** Four-digit numbers in the range of modern years are read as years ("nineteen eighty-four"). */
    private static final Pattern YEAR = Pattern.compile("(?<![\\d.,])(1[1-9]\\d\\d|20\\d\\d)(?![\\d]|[.,]\\d)");
    private static final Pattern NUMBER = Pattern.compile("(?<![\\d.])(-?)(\\d+(?:\\.\\d+)?)(?!\\d)");
    private static final Pattern DASH_BETWEEN_WORDS = Pattern.compile("\\s+[-–—]+\\s+|--+|[–—]");
    private static final Pattern NOT_SPOKEN = Pattern.compile("[^a-z' ,.?!]");
    private static final Pattern PUNCTUATION_RUN = Pattern.compile("\\s*([,.?!])[\\s,.?!]*");

    /** Longer numbers are read digit by digit (a long holds 18). */
    private static final int MAX_SPELLED_DIGITS = 18;
    private static final Map<String, String> CURRENCY_NAMES = Map.of("$", "dollar", "£", "pound", "€", "euro");
    private static final Map<String, String> CURRENCY_CENTS = Map.of("$", "cent", "£", "penny", "€", "cent");

    private final ThreadLocal<RuleBasedNumberFormat> spellOut =
            ThreadLocal.withInitial(() -> new RuleBasedNumberFormat(Locale.US, RuleBasedNumberFormat.SPELLOUT));

    String normalize(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = s.replace('’', '\'').replace('‘', '\'').replace('`', '\'');
        s = NUMBER_SIGN.matcher(s).replaceAll("number ");
        String t = s; // an abbreviation that ends the text also ends its sentence: keep a period
        s = replace(ABBREVIATION, s, m -> ABBREVIATIONS.get(m.group(1).toLowerCase(Locale.ROOT))
                + (t.substring(m.end()).isBlank() ? "." : ""));
        s = s.replace("&", " and ").replace("@", " at ").replace("+", " plus ").replace("=", " equals ");
        s = replace(CURRENCY, s, this::currency);
        s = replace(PERCENT, s, m -> number(m.group(1)) + " percent");
        s = replace(ORDINAL, s, m -> spell(m.group(1), "%spellout-ordinal"));
        s = replace(TIME, s, this::time);
        s = replace(THOUSANDS, s, m -> m.group().replace(",", ""));
        s = replace(YEAR, s, m -> spell(m.group(1), "%spellout-numbering-year"));
        s = replace(NUMBER, s, m -> (m.group(1).isEmpty() ? "" : " minus ") + number(m.group(2)));
        s = s.replace("…", ".").replace("...", ".").replace(';', ',').replace(':', ',');
        s = DASH_BETWEEN_WORDS.matcher(s).replaceAll(", ");
        s = s.replace('-', ' ').replace('/', ' ');
        s = stripAccents(s).toLowerCase(Locale.ROOT);
        s = NOT_SPOKEN.matcher(s).replaceAll(" ");
        s = s.replaceAll("(?<![a-z])'|'(?![a-z])", " "); // quotes, not apostrophes
        s = PUNCTUATION_RUN.matcher(s).replaceAll("$1 "); // a run like "?!" or ", ." keeps its first mark
        s = s.replaceAll("\\s+", " ").strip();
        return s.replaceAll("^[,.?!] ?", ""); // a mark before any word says nothing
    }

    private String currency(Matcher m) {
        String sign = m.group(1);
        BigDecimal amount = new BigDecimal(m.group(2).replace(",", ""));
        BigDecimal whole = new BigDecimal(amount.toBigInteger());
        int cents = amount.subtract(whole).movePointRight(2).intValue();
        String unit = CURRENCY_NAMES.get(sign);
        StringBuilder out = new StringBuilder(spell(whole.toPlainString(), "%spellout-numbering")).append(' ')
                .append(whole.compareTo(BigDecimal.ONE) == 0 ? unit : unit + "s");
        if (cents > 0) {
            String cent = CURRENCY_CENTS.get(sign);
            String cent1 = cents == 1 ? cent : cent.equals("penny") ? "pence" : cent + "s";
            out.append(" ").append(spell(Integer.toString(cents), "%spellout-numbering")).append(' ').append(cent1);
        }
        return " " + out + " ";
    }

    /** "7:05" → seven oh five, "7:00" → seven o'clock. */
    private String time(Matcher m) {
        String hours = spell(m.group(1), "%spellout-numbering");
        int minutes = Integer.parseInt(m.group(2));
        if (minutes == 0) return hours + " o'clock";
        String mm = spell(m.group(2), "%spellout-numbering");
        return hours + (minutes < 10 ? " oh " : " ") + mm;
    }

    private String number(String digits) {
        return spell(digits.replace(",", ""), "%spellout-numbering");
    }

    /**
     * Digits (with an optional decimal part) in words, the decimals read one by one ("three point
     * one four"). Integers longer than a long holds exactly are read digit by digit, as people
     * read long numbers (account numbers, codes).
     */
    private String spell(String digits, String ruleSet) {
        RuleBasedNumberFormat f = spellOut.get();
        int point = digits.indexOf('.');
        String whole = point < 0 ? digits : digits.substring(0, point);
        StringBuilder b = new StringBuilder(" ");
        if (whole.length() > MAX_SPELLED_DIGITS) {
            b.append(oneByOne(whole, f));
        } else {
            b.append(f.format(Long.parseLong(whole), ruleSet));
        }
        if (point >= 0) b.append(" point").append(oneByOne(digits.substring(point + 1), f));
        return b.append(' ').toString().replace('-', ' ');
    }

    private static String oneByOne(String digits, RuleBasedNumberFormat f) {
        StringBuilder b = new StringBuilder();
        for (char c : digits.toCharArray()) b.append(' ').append(f.format(c - '0'));
        return b.toString();
    }

    private static String stripAccents(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    }

    private static String replace(Pattern p, String s, Function<Matcher, String> f) {
        Matcher m = p.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(f.apply(m)));
        m.appendTail(out);
        return out.toString();
    }
}
