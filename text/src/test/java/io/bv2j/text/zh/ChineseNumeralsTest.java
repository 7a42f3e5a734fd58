package io.bv2j.text.zh;

import io.bv2j.Bv2jException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Expected strings are cn2an's an2cn results (its documented examples and its algorithm worked by hand). */
class ChineseNumeralsTest {

    @ParameterizedTest
    @CsvSource({
            "0, 零",
            "00, 零",
            "7, 七",
            "007, 七",
            "10, 十",
            "15, 十五",
            "20, 二十",
            "100, 一百",
            "110, 一百一十",
            "1001, 一千零一",
            "2023, 二千零二十三",
            "10010, 一万零一十",
            "110000, 十一万",
            "1000054, 一百万零五十四",
            "31000054, 三千一百万零五十四",
            "21024124, 二千一百零二万四千一百二十四",
            "100000000, 一亿",
            "100000001, 一亿零一",
            "3.5, 三点五",
            "0.05, 零点零五",
            "3.50, 三点五零",
            "１２, 十二",
    })
    void readsLikeAn2cn(String number, String expected) {
        assertEquals(expected, ChineseNumerals.read(number));
    }

    @Test
    void keepsSixteenDecimals() {
        assertEquals("零点" + "一".repeat(16), ChineseNumerals.read("0." + "1".repeat(20)));
    }

    @Test
    void sixteenDigitsAreTheLimit() {
        assertEquals("一千万亿", ChineseNumerals.read("1" + "0".repeat(15)));
        assertThrows(Bv2jException.class, () -> ChineseNumerals.read("1" + "0".repeat(16)));
    }
}
