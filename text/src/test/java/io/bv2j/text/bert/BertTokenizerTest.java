package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fixture's vocabulary (make_bert_fixture.py) through BERT's basic tokenizer and WordPiece, checked by hand. */
class BertTokenizerTest {
    private static final BertTokenizer TOKENIZER = BertTokenizer.load(BertFixture.safetensorsFolder());

    private static void assertTokens(String text, String... tokens) {
        assertEquals(List.of(tokens), TOKENIZER.tokenize(text), text);
    }

    @Test
    void everyCjkCharacterAndPunctuationMarkIsItsOwnToken() {
        assertTokens("你好,world!", "你", "好", ",", "world", "!");
        assertTokens("我们的世界", "我", "们", "的", "世", "界");
        assertTokens("a-b", "a", "-", "b");
    }

    @Test
    void encodeWrapsTheIdsInClsAndSep() {
        assertArrayEquals(BertFixture.ids(0), TOKENIZER.encode("你好,world!"));
        assertArrayEquals(new int[]{2, 3}, TOKENIZER.encode(""));
    }

    @Test
    void longestMatchFirstWithContinuations() {
        assertTokens("unaffable playing.", "un", "##aff", "##able", "play", "##ing", ".");
        assertTokens("aa", "a", "##a");
    }

    @Test
    void lowerCasesAndStripsAccentsAsTheVocabularyWants() {
        assertTokens("Hello WORLDs", "hello", "world", "##s");
        assertTokens("Café", "cafe");
        assertTokens("Cafe\u0301", "cafe"); // decomposed accent
    }

    @Test
    void aWordWithAnUnmatchablePartIsOneUnknown() {
        assertTokens("xyz", "[UNK]");
        assertTokens("worx hello", "[UNK]", "hello"); // not "wor" + [UNK]
        assertTokens(String.join("", Collections.nCopies(101, "a")), "[UNK]");
        assertEquals(100, TOKENIZER.tokenize(String.join("", Collections.nCopies(100, "a"))).size());
    }

    @Test
    void kanaRunsStayOneWord() {
        assertTokens("こんにちは", "こん", "##にちは");
    }

    @Test
    void controlCharactersGoAndWhiteSpaceSeparates() {
        assertTokens("hello\u0000\tworld\u200b\u00a0a\n", "hello", "world", "a");
    }

    @Test
    void theSplitterGivesOneWordsPieces() {
        assertEquals(List.of("hello", "##s"), TOKENIZER.split("Hellos"));
        assertEquals(List.of("你", "好"), TOKENIZER.split("你好"));
    }

    @Test
    void tokenizerJsonAloneGivesTheSameVocabulary() {
        BertTokenizer fromJson = BertTokenizer.load(BertFixture.pickleFolder());
        for (String text : List.of("你好,world!", "unaffable playing.", "Hello WORLDs こんにちは xyz")) {
            assertArrayEquals(TOKENIZER.encode(text), fromJson.encode(text), text);
        }
    }

    @Test
    void tokenizerConfigCanKeepCase(@TempDir Path dir) throws IOException {
        Files.copy(BertFixture.safetensorsFolder().resolve("vocab.txt"), dir.resolve("vocab.txt"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"do_lower_case\": false}");
        BertTokenizer cased = BertTokenizer.load(dir);
        assertEquals(List.of("[UNK]", "hello"), cased.tokenize("Hello hello"));
        assertEquals(List.of("[UNK]"), cased.tokenize("café")); // accents stay when case does
    }

    @Test
    void aMecabFolderTakesItsWordsFromASegmenter(@TempDir Path dir) throws IOException {
        Files.copy(BertFixture.safetensorsFolder().resolve("vocab.txt"), dir.resolve("vocab.txt"));
        Files.writeString(dir.resolve("tokenizer_config.json"),
                "{\"do_lower_case\": false, \"word_tokenizer_type\": \"mecab\", \"subword_tokenizer_type\": \"wordpiece\"}");
        BertTokenizer mecab = BertTokenizer.load(dir);
        Bv2jException e = assertThrows(Bv2jException.class, () -> mecab.tokenize("こんにちは"));
        assertTrue(e.getMessage().contains("MeCab"), e.getMessage());
        assertEquals(List.of("こん", "##にちは"), mecab.split("こんにちは"));
        List<String> seen = new ArrayList<>();
        BertTokenizer segmented = mecab.withWords(text -> {
            seen.add(text);
            return List.of("こんにちは", "hello", "世界");
        });
        // No punctuation or CJK split inside a segmenter's word: 世界 is one word, and no piece "##界" exists.
        assertEquals(List.of("こん", "##にちは", "hello", "[UNK]"), segmented.tokenize("こんにちはhello世界"));
        assertEquals(List.of("こんにちはhello世界"), seen);
    }

    @Test
    void unsupportedTokenizersAreRefused(@TempDir Path dir) throws IOException {
        Files.copy(BertFixture.safetensorsFolder().resolve("vocab.txt"), dir.resolve("vocab.txt"));
        Files.writeString(dir.resolve("tokenizer_config.json"), "{\"subword_tokenizer_type\": \"character\"}");
        Bv2jException e = assertThrows(Bv2jException.class, () -> BertTokenizer.load(dir));
        assertTrue(e.getMessage().contains("subword_tokenizer_type 'character' is not supported"), e.getMessage());
    }

    @Test
    void aVocabularyWithoutSpecialTokensIsRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("vocab.txt"), "[PAD]\n[UNK]\n[CLS]\nhello\n");
        Bv2jException e = assertThrows(Bv2jException.class, () -> BertTokenizer.load(dir));
        assertEquals(dir.resolve("vocab.txt") + ": the vocabulary has no [SEP] token", e.getMessage());
    }
}
