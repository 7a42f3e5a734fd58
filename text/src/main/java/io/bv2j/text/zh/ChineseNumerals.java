package io.bv2j.text.zh;

import io.bv2j.Bv2jException;

/**
 * Arabic numbers read as Chinese numerals the way cn2an's {@code an2cn} (low mode) writes them,
 * which is what the reference's normaliser feeds the model: 2023 → 二千零二十三, 10 → 十,
 * 100 → 一百, 3.5 → 三点五, 0.05 → 零点零五. cn2an writes 二 (never 两) and drops the 一 of a
 * leading 一十; its quirks are kept because the voices were trained on them.
 */
final class ChineseNumerals {

    private static final String DIGITS = "零一二三四五六七八九";
    /** The unit after the digit at each power of ten, 10^0 .. 10^15 (cn2an's 16-place limit). */
    private static final String[] UNITS = {"", "十", "百", "千", "万", "十", "百", "千", "亿", "十", "百", "千", "万", "十", "百", "千"};
    /** cn2an keeps at most this many decimal places. */
    private static final int MAX_DECIMALS = 16;

    private ChineseNumerals() {
    }

    /**
     * Reads {@code number}: decimal digits (any Unicode decimal digits, as Python's {@code \d}
     * matches), optionally one '.' and more digits.
     */
    static String read(String number) {
        int dot = number.indexOf('.');
        if (dot < 0) return integer(number);
        String decimals = number.substring(dot + 1);
        if (decimals.length() > MAX_DECIMALS) decimals = decimals.substring(0, MAX_DECIMALS);
        StringBuilder out = new StringBuilder(integer(number.substring(0, dot)));
        if (!decimals.isEmpty()) out.append('点');
        for (int i = 0; i < decimals.length(); i++) out.append(DIGITS.charAt(digit(decimals.charAt(i))));
        return out.toString();
    }

    private static String integer(String digits) {
        String n = stripLeadingZeros(digits);
        if (n.length() > UNITS.length) {
            throw new Bv2jException("number " + digits + " is too long to read in Chinese (at most " + UNITS.length + " digits before the point)");
        }
        // Digit by digit with its unit; a zero writes 零, and at the 万/亿 places also the
        // unit, so runs of zeros collapse in the clean-up below exactly as in cn2an.
        StringBuilder out = new StringBuilder();
        int len = n.length();
        for (int i = 0; i < len; i++) {
            int d = digit(n.charAt(i));
            int place = len - i - 1;
            if (d != 0) {
                out.append(DIGITS.charAt(d)).append(UNITS[place]);
            } else {
                if (place % 4 == 0) out.append('零').append(UNITS[place]);
                if (i > 0 && out.charAt(out.length() - 1) != '零') out.append('零');
            }
        }
        String s = out.toString().replace("零零", "零").replace("零万", "万").replace("零亿", "亿").replace("亿万", "亿");
        s = trimZeros(s);
        if (s.startsWith("一十")) s = s.substring(1);
        return s.isEmpty() ? "零" : s;
    }

    private static String stripLeadingZeros(String digits) {
        int i = 0;
        while (i < digits.length() - 1 && digit(digits.charAt(i)) == 0) i++;
        return digits.substring(i);
    }

    private static String trimZeros(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && s.charAt(from) == '零') from++;
        while (to > from && s.charAt(to - 1) == '零') to--;
        return s.substring(from, to);
    }

    private static int digit(char c) {
        int d = Character.digit(c, 10);
        if (d < 0) throw new IllegalArgumentException("not a decimal digit: '" + c + "'");
        return d;
    }
}
