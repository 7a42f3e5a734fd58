package io.bv2j.text.ja;

import com.atilika.kuromoji.unidic.Token;
import com.atilika.kuromoji.unidic.Tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Words of a text with their katakana readings, from kuromoji's UniDic 2.1.2, standing in for the
 * reference's MeCab with unidic-lite (the same UniDic 2.1.2 lexicon).
 *
 * <p>The reading is UniDic's pronunciation field (発音形出現形, {@link Token#getPronunciation()}):
 * that is the second column of MeCab's default UniDic output ({@code %f[9]}), which the reference
 * reads. It is the word as spoken, so the particle は reads ワ, へ reads エ, and long vowels are
 * written ー (東京 トーキョー, そう ソー). For a word not in the dictionary MeCab prints the surface
 * there, so this does too; for a symbol the field is empty and the reference falls back on the
 * symbol itself, dropping brackets and quotes. Hiragana left in a reading become katakana.
 */
final class WordReadings {

    /** One word: its text and its reading. */
    record Word(String surface, String kana) {
    }

    /** Loading the dictionary takes about a second, so it is done once, on first use; the tokenizer is thread-safe. */
    private static final class Dictionary {
        static final Tokenizer TOKENIZER = new Tokenizer();
    }

    /** Symbols the reference skips when they have no reading (any other symbol stands for itself). */
    private static final Set<String> SYMBOLS_DROPPED =
            Set.of("「", "」", "『", "』", "―", "（", "）", "［", "］", "[", "]");

    private WordReadings() {
    }

    static List<Word> words(String text) {
        List<Word> words = new ArrayList<>();
        for (Token token : Dictionary.TOKENIZER.tokenize(text)) {
            String surface = token.getSurface();
            // MeCab never makes a word of white space; kuromoji returns it as a token.
            if (surface.isBlank()) {
                continue;
            }
            words.add(new Word(surface, toKatakana(reading(token))));
        }
        return words;
    }

    private static String reading(Token token) {
        String surface = token.getSurface();
        if (!token.isKnown()) {
            return surface;
        }
        String pronunciation = token.getPronunciation();
        if (!pronunciation.isEmpty() && !pronunciation.equals("*")) {
            return pronunciation;
        }
        if (surface.equals("っ") || surface.equals("ッ")) {
            return "ッ";
        }
        return SYMBOLS_DROPPED.contains(surface) ? "" : surface;
    }

    /** ぁ..ん → ァ..ン, the reference's hira2kata (other characters, ゔ and ゝ included, stay). */
    static String toKatakana(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c >= 'ぁ' && c <= 'ん' ? (char) (c + ('ァ' - 'ぁ')) : c);
        }
        return out.toString();
    }
}
