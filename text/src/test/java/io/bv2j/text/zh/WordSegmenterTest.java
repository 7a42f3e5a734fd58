package io.bv2j.text.zh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordSegmenterTest {

    private final WordSegmenter segmenter = new WordSegmenter();

    @Test
    void keepsEveryCharacterInOrder() {
        String sentence = "老师让同学们把作业交上来.";
        List<Word> words = segmenter.segment(sentence);
        assertEquals(sentence, words.stream().map(Word::text).collect(Collectors.joining()));
        assertTrue(words.stream().noneMatch(w -> w.tag().isEmpty()));
    }

    @Test
    void tagsTheWordsTheRulesLookAtAsJiebaDoes() {
        assertEquals(List.of(new Word("我们", "r"), new Word("去", "v"), new Word("银行", "n")), segmenter.segment("我们去银行"));
        assertEquals(List.of(new Word("桌上", "s")), segmenter.segment("桌上"));
    }

    /** The shortest search piece decides where the sandhi splits a word; expected pieces are jieba 0.42.1's. */
    @ParameterizedTest
    @CsvSource({"展览馆, 展览", "纸老虎, 老虎", "蒙古包, 蒙古", "图书馆, 图书", "打火机, 打火", "小孩儿, 小孩"})
    void shortestSearchPieceIsJiebas(String word, String piece) {
        assertEquals(piece, segmenter.searchPieces(word).stream().min(Comparator.comparingInt(String::length)).orElseThrow());
    }
}
