package io.bv2j.text.ja;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class KanjiNumberTest {

    @Test
    void smallNumbersLeaveOutOneBeforeTenHundredAndThousand() {
        assertEquals("零", KanjiNumber.read("0"));
        assertEquals("七", KanjiNumber.read("7"));
        assertEquals("七", KanjiNumber.read("007"));
        assertEquals("十", KanjiNumber.read("10"));
        assertEquals("十一", KanjiNumber.read("11"));
        assertEquals("二十", KanjiNumber.read("20"));
        assertEquals("百", KanjiNumber.read("100"));
        assertEquals("百一", KanjiNumber.read("101"));
        assertEquals("百十", KanjiNumber.read("110"));
        assertEquals("千", KanjiNumber.read("1000"));
        assertEquals("千百", KanjiNumber.read("1100"));
        assertEquals("二千二十三", KanjiNumber.read("2023"));
        assertEquals("九千九百九十九", KanjiNumber.read("9999"));
    }

    @Test
    void myriadsKeepTheirOne() {
        assertEquals("一万", KanjiNumber.read("10000"));
        assertEquals("一万一", KanjiNumber.read("10001"));
        assertEquals("一万千", KanjiNumber.read("11000"));
        assertEquals("十一万", KanjiNumber.read("110000"));
        assertEquals("千万", KanjiNumber.read("10000000"));
        assertEquals("一億", KanjiNumber.read("100000000"));
        assertEquals("一億一万", KanjiNumber.read("100010000"));
        assertEquals("一億二千三百四十五万六千七百八十九", KanjiNumber.read("123456789"));
        assertEquals("一兆", KanjiNumber.read("1" + "0".repeat(12)));
        assertEquals("一極", KanjiNumber.read("1" + "0".repeat(48)));
        assertEquals("九百九十九極", KanjiNumber.read("999" + "0".repeat(48)));
    }

    @Test
    void tooLargeIsAOneLineError() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> KanjiNumber.read("1" + "0".repeat(51)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void fractionsReadDigitByDigitAfterTen() {
        assertEquals("三点一四", KanjiNumber.read("3.14"));
        assertEquals("零点五", KanjiNumber.read("0.5"));
        assertEquals("零点零五", KanjiNumber.read("0.05"));
        assertEquals("十二点零零一", KanjiNumber.read("12.001"));
    }

    @Test
    void fractionsGoThroughADoubleAsInNum2words() {
        // Whole values are whole: no 点.
        assertEquals("二", KanjiNumber.read("2.0"));
        assertEquals("三", KanjiNumber.read("3.00"));
        // Trailing zeros vanish in the double's shortest form.
        assertEquals("一点一", KanjiNumber.read("1.10"));
        // Too close to 3 for a double: repr 3.0, one place, digit 0.
        assertEquals("三点零", KanjiNumber.read("3.0000000000000001"));
        // Past 1e16 the double has no fraction left and repr has no places: no 点 at all;
        // 12345678901234567.5 is the double 12345678901234568.
        assertEquals("一京二千三百四十五兆六千七百八十九億百二十三万四千五百六十八",
                KanjiNumber.read("12345678901234567.5"));
    }
}
