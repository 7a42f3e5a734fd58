package io.bv2j.text.zh;

import com.hankcs.hanlp.dictionary.py.Pinyin;
import io.bv2j.Bv2jException;
import io.bv2j.text.Symbols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** HanLP readings → pypinyin strict initials/finals → the reference's fixes → opencpop phones. */
class PinyinSpellingTest {

    private final PhoneTable table = PhoneTable.load();

    @ParameterizedTest
    @CsvSource({
            // pinyin, tone, pypinyin INITIALS, FINALS_TONE3, phones
            "zhang, 3, zh, ang3, zh ang",
            "yi, 1, '', i1, y i",
            "ying, 1, '', ing1, y ing",
            "ya, 2, '', ia2, y a",
            "you, 3, '', iou3, y ou",
            "yong, 4, '', iong4, y ong",
            "yu, 2, '', v2, y v",
            "yue, 4, '', ve4, y ve",
            "yuan, 2, '', van2, y van",
            "yun, 2, '', vn2, y vn",
            "wu, 3, '', u3, w u",
            "wo, 3, '', uo3, w o",
            "wei, 4, '', uei4, w ei",
            "wen, 2, '', uen2, w en",
            "weng, 1, '', ueng1, w eng",
            "ju, 1, j, v1, j v",
            "xue, 2, x, ve2, x ve",
            "qun, 2, q, vn2, q vn",
            "lv, 4, l, v4, l v",
            "nve, 4, n, ve4, n ve",
            "liu, 4, l, iou4, l iu",
            "gui, 4, g, uei4, g ui",
            "lun, 4, l, uen4, l un",
            "zhi, 1, zh, i1, zh ir",
            "zi, 5, z, i5, z i0",
            "er, 2, '', er2, EE er",
            "a, 1, '', a1, AA a",
            "o, 4, '', o4, OO o",
    })
    void spellsLikePypinyinAndTheReference(String pinyin, char tone, String initial, String fin, String phones) {
        Syllable s = PinyinReader.strict(pinyin, tone);
        assertEquals(new Syllable(initial, fin), s);
        assertEquals(new PhoneTable.Phones(List.of(phones.split(" ")), tone - '0'), table.phones(s));
    }

    @Test
    void punctuationIsItsOwnPhoneWithToneZero() {
        assertEquals(new PhoneTable.Phones(List.of("…"), 0), table.phones(Syllable.punctuation('…')));
    }

    @Test
    void everyHanlpSyllableHasSymbolTablePhonesButThreeRareOnes() {
        Set<String> missing = new TreeSet<>();
        Set<String> notSymbols = new TreeSet<>();
        for (Pinyin p : Pinyin.values()) {
            if (p == Pinyin.none5) continue;
            String name = p.name();
            try {
                for (String phone : table.phones(PinyinReader.strict(name.substring(0, name.length() - 1), name.charAt(name.length() - 1))).phones()) {
                    if (!Symbols.standard().contains(phone)) notSymbols.add(phone);
                }
            } catch (Bv2jException e) {
                missing.add(name);
            }
        }
        assertEquals(Set.of("fiao4", "ja4", "yai2"), missing);
        assertEquals(Set.of(), notSymbols);
    }

    @Test
    void aSyllableOutsideTheTableIsAUserError() {
        assertThrows(Bv2jException.class, () -> table.phones(PinyinReader.strict("m", '2')));
    }
}
