package io.bv2j.text.ja;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JapaneseNormalizerTest {

    private static String normalize(String text) {
        return JapaneseNormalizer.normalize(text);
    }

    @Test
    void nfkcFirst() {
        assertEquals("ハンカク", normalize("ﾊﾝｶｸ"));
        assertEquals("ガギ", normalize("ｶﾞｷﾞ"));
        assertEquals("はい!", normalize("はい！"));
        assertEquals("百二十三", normalize("１２３"));
    }

    @Test
    void punctuationMapsToTheSymbolTables() {
        assertEquals("こんにちは,世界!", normalize("こんにちは、世界！"));
        assertEquals("カタカナ.ひらがな?", normalize("カタカナ。ひらがな？"));
        assertEquals("はい.いいえ", normalize("はい\nいいえ"));
        assertEquals("あ,い", normalize("あ·い"));
        // NFKC makes … three dots, which map back to one …; a fourth dot stays a dot.
        assertEquals("そうですね…", normalize("そうですね…"));
        assertEquals("そうですね….", normalize("そうですね...."));
        // Kept as katakana-block characters: the middle dot and the long-vowel mark.
        assertEquals("ア・イー", normalize("ア・イー"));
    }

    @Test
    void everythingElseIsDeleted() {
        // Brackets and quotes are deleted in 1.1.1, not turned into '.
        assertEquals("本当?はい", normalize("「本当？」（はい）"));
        // NFKC makes the full-width colon ASCII before the map could see it.
        assertEquals("はいいいえ", normalize("はい：いいえ"));
        assertEquals("", normalize("Hello ＡＢＣ world"));
        assertEquals("時", normalize("時々"));
        assertEquals("あい", normalize("あ～い"));
        assertEquals("-'", normalize("-'"));
    }

    @Test
    void numbersBecomeKanji() {
        assertEquals("二千二十三年", normalize("2023年"));
        assertEquals("百二十三万四千五百六十七円", normalize("1,234,567円"));
        assertEquals("一万二千三百四十五", normalize("12,345"));
        assertEquals("三点一四", normalize("3.14"));
        // Not a thousands group: the comma stays and each side is its own number.
        assertEquals("一,二十三", normalize("1,23"));
    }

    @Test
    void aCurrencySignBeforeANumberIsReadAfterIt() {
        assertEquals("五ドル", normalize("$5"));
        assertEquals("千円", normalize("¥1,000"));
        assertEquals("二点五ユーロ", normalize("€2.5"));
        assertEquals("十ポンド", normalize("£10"));
        assertEquals("十二ドル", normalize("＄１２"));
        // A sign with no number after it is deleted like any other symbol.
        assertEquals("ドル", normalize("$ドル"));
    }
}
