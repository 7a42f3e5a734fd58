package io.bv2j.text.ja;

import io.bv2j.Bv2jException;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * A number written in ASCII digits read as kanji numerals, as the reference's
 * {@code num2words(text, lang="ja")} reads it: 2023 → 二千二十三, 10000 → 一万, 3.14 → 三点一四.
 *
 * <p>Whole numbers use groups of four digits (万, 億, 兆, … up to 極), with 一 left out before
 * 十, 百 and 千 but kept before 万 and above, and no word for zero digits (101 → 百一); 0 alone
 * is 零. A number with a fraction that is not zero is read through a double, as num2words does:
 * the whole part, 点, then one numeral per digit of the shortest decimal form of that double
 * (1.10 → 一点一, 0.05 → 零点零五, and digits beyond a double's precision are lost the same way).
 */
final class KanjiNumber {

    private static final String[] DIGITS = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    /** 10^4, 10^8, … 10^48. */
    private static final String[] MYRIADS = {"", "万", "億", "兆", "京", "垓", "秭", "穣", "溝", "澗", "正", "載", "極"};
    /** num2words refuses 1000 × its largest unit (10^48) and above. */
    private static final BigInteger LIMIT = BigInteger.TEN.pow(51);

    private KanjiNumber() {
    }

    /** Reads {@code number}: ASCII digits, optionally a point and more digits. */
    static String read(String number) {
        BigDecimal exact = new BigDecimal(number);
        // num2words first asks whether the value is whole (3.0 and 3.00 are), and only then goes through a float.
        if (exact.stripTrailingZeros().scale() <= 0) {
            return whole(exact.toBigIntegerExact());
        }
        return fraction(Double.parseDouble(number));
    }

    private static String whole(BigInteger value) {
        if (value.compareTo(LIMIT) >= 0) {
            throw new Bv2jException("the number " + value + " is too large to read in Japanese (at most 51 digits)");
        }
        if (value.signum() == 0) {
            return DIGITS[0];
        }
        String digits = value.toString();
        StringBuilder out = new StringBuilder();
        int groups = (digits.length() + 3) / 4;
        for (int g = groups - 1; g >= 0; g--) {
            int end = digits.length() - 4 * g;
            int group = Integer.parseInt(digits.substring(Math.max(0, end - 4), end));
            if (group == 0) {
                continue;
            }
            // 一万 keeps its 一, while 千 (not 一千) and 千万 (not 一千万) drop theirs.
            out.append(group == 1 && g > 0 ? DIGITS[1] : belowTenThousand(group)).append(MYRIADS[g]);
        }
        return out.toString();
    }

    /** 1 to 9999: 千, 百 and 十 take a digit before them only when it is above one. */
    private static String belowTenThousand(int n) {
        StringBuilder out = new StringBuilder();
        String[] units = {"千", "百", "十", ""};
        int[] values = {1000, 100, 10, 1};
        for (int u = 0; u < units.length; u++) {
            int digit = n / values[u] % 10;
            if (digit == 0) {
                continue;
            }
            if (digit > 1 || values[u] == 1) {
                out.append(DIGITS[digit]);
            }
            out.append(units[u]);
        }
        return out.toString();
    }

    // num2words' float reading: pre = int(value); precision = the decimal places of repr(value);
    // post = abs(value - pre) * 10**precision, rounded when within 0.01 of a whole number, else
    // floored; then each of the first `precision` digits of post, zero-padded, as a numeral.
    private static String fraction(double value) {
        BigInteger pre = new BigDecimal(value).toBigInteger();
        int precision = reprDecimalPlaces(value);
        double post = Math.abs(value - pre.doubleValue()) * Double.parseDouble("1e" + precision);
        double rounded = Math.rint(post);
        BigInteger postDigits = new BigDecimal(Math.abs(rounded - post) < 0.01 ? rounded : Math.floor(post))
                .setScale(0, RoundingMode.UNNECESSARY).toBigIntegerExact();
        String padded = "0".repeat(Math.max(0, precision - postDigits.toString().length())) + postDigits;
        StringBuilder out = new StringBuilder(whole(pre));
        if (precision > 0) {
            out.append('点');
        }
        for (int i = 0; i < precision; i++) {
            out.append(DIGITS[padded.charAt(i) - '0']);
        }
        return out.toString();
    }

    /**
     * {@code abs(Decimal(str(value)).as_tuple().exponent)} in Python: the places after the point in
     * the shortest repr, which is at least one ("3.0") in fixed notation, and in exponent notation
     * (below 1e-4, from 1e16 up) the distance of the last significant digit from the units.
     */
    private static int reprDecimalPlaces(double value) {
        BigDecimal shortest = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        boolean fixed = magnitude >= 1e-4 && magnitude < 1e16;
        return fixed ? Math.max(1, shortest.scale()) : Math.abs(shortest.scale());
    }
}
