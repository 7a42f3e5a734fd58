package io.bv2j.text.zh;

import com.hankcs.hanlp.HanLP;
import com.hankcs.hanlp.dictionary.py.Pinyin;
import io.bv2j.Bv2jException;

import java.util.ArrayList;
import java.util.List;

/**
 * Pinyin of a word, one {@link Syllable} per character, standing in for the reference's
 * pypinyin {@code lazy_pinyin(word, style=INITIALS / FINALS_TONE3, neutral_tone_with_five)}.
 * HanLP's pinyin dictionary matches the longest phrases of the word, so polyphones follow the
 * word (银行 hang2, 行走 xing2, 长大 zhang3, 长度 chang2), and its readings are turned into
 * pypinyin's strict initials and finals here.
 */
final class PinyinReader {

    private static final String[] INITIALS = {"zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r", "z", "c", "s"};

    List<Syllable> read(String word) {
        List<Pinyin> pinyins = HanLP.convertToPinyinList(word);
        if (pinyins.size() != word.length()) {
            throw new IllegalStateException("HanLP gave " + pinyins.size() + " syllables for the " + word.length() + " characters of '" + word + "'");
        }
        List<Syllable> syllables = new ArrayList<>(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            syllables.add(ChineseText.isPunctuation(c) ? Syllable.punctuation(c) : syllable(c, pinyins.get(i)));
        }
        return syllables;
    }

    /** The finals with tones alone, what the reference's merge rules look at. */
    List<String> finals(String word) {
        return read(word).stream().map(Syllable::finalTone3).toList();
    }

    private static Syllable syllable(char c, Pinyin pinyin) {
        if (pinyin == Pinyin.none5) throw new Bv2jException("no pinyin is known for '" + c + "'");
        // The plural suffix 们 is read in the neutral tone (as pypinyin reads it), but HanLP
        // gives a 们 outside its phrase list (同学们, 老师们) its citation tone, men2.
        if (c == '们') return strict("men", '5');
        String name = pinyin.name();
        return strict(name.substring(0, name.length() - 1), name.charAt(name.length() - 1));
    }

    /** Splits toneless pinyin (ü written v, as HanLP names it) into pypinyin's strict initial and final. */
    static Syllable strict(String pinyin, char tone) {
        String initial = "";
        for (String candidate : INITIALS) {
            if (pinyin.startsWith(candidate)) {
                initial = candidate;
                break;
            }
        }
        String rest = pinyin.substring(initial.length());
        String fin = initial.isEmpty() ? zeroInitialFinal(rest) : finalAfterInitial(initial, rest);
        return new Syllable(initial, fin + tone);
    }

    // y and w only spell the medials i, u and ü when there is no initial: yi → i, ya → ia,
    // you → iou, yu → v, yuan → van, wu → u, wei → uei, wen → uen.
    private static String zeroInitialFinal(String pinyin) {
        if (pinyin.startsWith("yu")) return "v" + pinyin.substring(2);
        if (pinyin.startsWith("yi")) return "i" + pinyin.substring(2);
        if (pinyin.startsWith("y")) return "i" + pinyin.substring(1);
        if (pinyin.startsWith("wu")) return "u" + pinyin.substring(2);
        if (pinyin.startsWith("w")) return "u" + pinyin.substring(1);
        return pinyin;
    }

    // After j, q, x a written u is ü; iu, ui, un are the contracted spellings of iou, uei, uen.
    private static String finalAfterInitial(String initial, String fin) {
        if ((initial.equals("j") || initial.equals("q") || initial.equals("x")) && fin.startsWith("u")) return "v" + fin.substring(1);
        return switch (fin) {
            case "iu" -> "iou";
            case "ui" -> "uei";
            case "un" -> "uen";
            default -> fin;
        };
    }
}
