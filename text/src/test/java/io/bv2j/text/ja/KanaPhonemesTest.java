package io.bv2j.text.ja;

import io.bv2j.text.Symbols;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KanaPhonemesTest {

    private static List<String> phones(String katakana) {
        return KanaPhonemes.standard().phones(katakana);
    }

    private static List<String> split(String phones) {
        return phones.isEmpty() ? List.of() : List.of(phones.split(" "));
    }

    @Test
    void plainKanaAreConsonantThenVowel() {
        assertEquals(split("k a t a k a n a"), phones("カタカナ"));
        assertEquals(split("sh i ch i ts u f u"), phones("シチツフ"));
        assertEquals(split("j i z u j i z u"), phones("ジズヂヅ"));
        assertEquals(split("w a o i e"), phones("ワヲヰヱ"));
    }

    @Test
    void twoKanaRulesWinOverOneKana() {
        assertEquals(split("ky a sh u ch o"), phones("キャシュチョ"));
        assertEquals(split("t i d u f a w o"), phones("ティドゥファウォ"));
        assertEquals(split("b a b i by u"), phones("ヴァヴィヴュ"));
        // A vowel lengthened by its small vowel is one long phone.
        assertEquals(split("k a: o: s e:"), phones("カァオォセェ"));
    }

    @Test
    void nAndSmallTsuAreTheirOwnPhones() {
        assertEquals(split("h o N"), phones("ホン"));
        assertEquals(split("ch o q t o"), phones("チョット"));
    }

    @Test
    void theLongVowelMarkIsDroppedAsIn111() {
        assertEquals(split("s o"), phones("ソー"));
        assertEquals(split("r a m e N"), phones("ラーメン"));
        assertEquals(List.of(), phones("ー"));
    }

    @Test
    void theReferencesDuplicatesAndTyposAreKept() {
        // ズゥ and フゥ are listed twice; the later, short reading is the one used.
        assertEquals(split("z u f u"), phones("ズゥフゥ"));
        // No rule for ブャ: ブ, then the small ャ has no rule and stays as it is.
        assertEquals(List.of("b", "u", "ャ"), phones("ブャ"));
        // A lone small vowel reads as the full vowel.
        assertEquals(split("a o"), phones("ァォ"));
    }

    @Test
    void punctuationPassesThroughAndFullWidthMarksMap() {
        assertEquals(split("a ! i … u"), phones("ア!イ…ウ"));
        assertEquals(split(", . ! ? ,"), phones("、。！？・"));
    }

    @Test
    void everyRuleInTheTableGivesPhoneSymbols() throws IOException {
        int rules = 0;
        try (InputStream in = KanaPhonemes.class.getResourceAsStream("kana-phonemes.tsv")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String kana = line.substring(0, line.indexOf('\t'));
                for (String phone : phones(kana)) {
                    assertTrue(Symbols.standard().contains(phone), kana + " gives " + phone);
                }
                rules++;
            }
        }
        // 188 two-kana and 87 one-kana rules: the reference's list less its repeated keys.
        assertEquals(275, rules);
    }
}
