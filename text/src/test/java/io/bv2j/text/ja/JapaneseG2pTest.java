package io.bv2j.text.ja;

import io.bv2j.Bv2jException;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;
import io.bv2j.text.SubwordSplitter;
import io.bv2j.text.Symbols;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected phones come from UniDic's pronunciations and the rule table, worked out by hand. */
class JapaneseG2pTest {

    private static final JapaneseG2p WHOLE_WORDS = new JapaneseG2p(SubwordSplitter.wholeWords());

    /** A stand-in WordPiece that makes every character of a word a token. */
    private static final SubwordSplitter BY_CHARACTER = word -> {
        List<String> pieces = new ArrayList<>();
        for (int i = 0; i < word.length(); i++) {
            pieces.add(i == 0 ? word.substring(0, 1) : "##" + word.charAt(i));
        }
        return pieces;
    };

    private static void assertPhones(String phones, int[] word2ph, Phonemes actual) {
        assertEquals(List.of(("_ " + phones + " _").split(" ")), actual.phones());
        assertArrayEquals(word2ph, actual.word2ph());
        assertArrayEquals(new int[actual.phones().size()], actual.tones());
    }

    @Test
    void hiraganaIsReadAsPronounced() {
        // こんにちは is pronounced コンニチワ.
        assertPhones("k o N n i ch i w a", new int[] {1, 9, 1}, WHOLE_WORDS.g2p("こんにちは"));
    }

    @Test
    void katakana() {
        assertPhones("k a t a k a n a", new int[] {1, 8, 1}, WHOLE_WORDS.g2p("カタカナ"));
    }

    @Test
    void kanjiWithParticlesAndLongVowels() {
        // 私/ワタクシ (UniDic's reading, as with MeCab) は/ワ 学生/ガクセー です/デス . — the ー of
        // ガクセー gives no phone.
        assertPhones("w a t a k u sh i w a g a k u s e d e s u .", new int[] {1, 8, 2, 6, 4, 1, 1},
                WHOLE_WORDS.g2p("私は学生です."));
        // 東京/トーキョー へ/エ 行こう/イコー .
        assertPhones("t o ky o e i k o .", new int[] {1, 4, 1, 3, 1, 1}, WHOLE_WORDS.g2p("東京へ行こう."));
    }

    @Test
    void smallTsuAndN() {
        // ちょっと/チョット 待っ/マッ て/テ
        assertPhones("ch o q t o m a q t e", new int[] {1, 5, 3, 2, 1}, WHOLE_WORDS.g2p("ちょっと待って"));
        assertPhones("h o N", new int[] {1, 3, 1}, WHOLE_WORDS.g2p("本"));
    }

    @Test
    void smallKanaCombinations() {
        // ジャズ と ティー: ジャ and ティ are two-kana rules, the ー is dropped.
        assertPhones("j a z u t o t i", new int[] {1, 4, 2, 2, 1}, WHOLE_WORDS.g2p("ジャズとティー"));
        // The dictionary pronounces ヴァイオリン as バイオリン.
        assertPhones("b a i o r i N", new int[] {1, 7, 1}, WHOLE_WORDS.g2p("ヴァイオリン"));
    }

    @Test
    void punctuationIsItsOwnWordAndPhone() {
        Phonemes p = WHOLE_WORDS.phonemize("こんにちは、世界！");
        assertEquals("こんにちは,世界!", p.normText());
        assertEquals(Language.JP, p.language());
        assertPhones("k o N n i ch i w a , s e k a i !", new int[] {1, 9, 1, 5, 1, 1}, p);
    }

    @Test
    void aWordsPhonesAreSpreadOverItsTokens() {
        // こんにちは: 9 phones over 5 tokens; 世界: 5 over 2; each mark 1 over 1.
        assertPhones("k o N n i ch i w a , s e k a i !", new int[] {1, 2, 2, 2, 2, 1, 1, 3, 2, 1, 1},
                new JapaneseG2p(BY_CHARACTER).g2p("こんにちは,世界!"));
        // Three tokens a word: はい/ハイ gives one phone each, ! one phone to the first token.
        SubwordSplitter threeEach = word -> List.of(word, "##x", "##y");
        assertPhones("h a i !", new int[] {1, 1, 1, 1, 1, 0, 0, 1}, new JapaneseG2p(threeEach).g2p("はい!"));
    }

    @Test
    void symbolsWithoutAPronunciationStandForThemselves() {
        // A lone っ has an empty pronunciation; the reference reads it as ッ, a q.
        assertPhones("q", new int[] {1, 1, 1}, WHOLE_WORDS.g2p("っ"));
        // The katakana middle dot survives normalisation and its rule makes it a comma.
        assertEquals(List.of("_", "a", ",", "i", "_"), WHOLE_WORDS.g2p("ア・イ").phones());
    }

    @Test
    void theTokenizerSeesTheEllipsisAsThreeDots() {
        // The BERT tokenizer's own NFKC turns … into ..., so the reference reads three full stops.
        Phonemes p = WHOLE_WORDS.g2p("はい…");
        assertEquals(List.of("_", "h", "a", "i", ".", ".", ".", "_"), p.phones());
        assertEquals("はい…", p.normText());
    }

    @Test
    void theBertSideGetsTheSameWords() {
        assertEquals(List.of("こんにちは", ",", "世界", "!"), JapaneseG2p.bertWords("こんにちは,世界!"));
        assertEquals(List.of("はい", ".", ".", "."), JapaneseG2p.bertWords("はい…"));
    }

    @Test
    void everyPhoneIsASymbol() {
        Phonemes p = WHOLE_WORDS.phonemize("吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。");
        for (String phone : p.phones()) {
            assertTrue(Symbols.standard().contains(phone), phone);
        }
        int sum = 0;
        for (int n : p.word2ph()) {
            sum += n;
        }
        assertEquals(p.phones().size(), sum);
    }

    @Test
    void nothingJapaneseIsAOneLineError() {
        for (String text : new String[] {"Hello, world!", "", "?!"}) {
            Bv2jException e = assertThrows(Bv2jException.class, () -> WHOLE_WORDS.phonemize(text));
            assertTrue(e.getMessage().startsWith("nothing Japanese to pronounce"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void aCharacterWithoutAReadingIsNamed() {
        // Not in the dictionary: the reference's MeCab gives the character itself as its reading.
        Bv2jException e = assertThrows(Bv2jException.class, () -> WHOLE_WORDS.g2p("犇"));
        assertTrue(e.getMessage().startsWith("cannot pronounce '犇'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aWordWithPhonesNeedsTokens() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> new JapaneseG2p(word -> List.of()).g2p("はい"));
        assertTrue(e.getMessage().contains("'はい'"), e.getMessage());
    }
}
