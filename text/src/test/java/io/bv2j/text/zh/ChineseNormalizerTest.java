package io.bv2j.text.zh;

import io.bv2j.text.Symbols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChineseNormalizerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "你好，世界！| 你好,世界!",
            "真的吗？是的。| 真的吗?是的.",
            "他说：“好的”；她说「不」| 他说,'好的',她说'不'",
            "《三体》（小说）【新】| '三体''小说''新'",
            "一、二·三| 一,二,三",
            "等等...| 等等…",
            "等等....| 等等….",
            "啊——～~| 啊----",
            "嗯，呣| 恩,母",
            "今天;明天:后天| 今天明天后天",
            "abc 中文 x| 中文",
            "2023年10月1日| 二千零二十三年十月一日",
            "价格3.5元，共100个| 价格三点五元,共一百个",
            "第1.2.3条| 第一点二.三条",
            "０点| 零点",
    })
    void normalisesAsTheReference(String text, String expected) {
        assertEquals(expected, ChineseNormalizer.normalize(text));
    }

    @Test
    void newlineAndDollarEndSentences() {
        assertEquals("甲.乙.", ChineseNormalizer.normalize("甲\n乙$"));
    }

    @Test
    void nothingChineseLeavesNothing() {
        assertEquals("", ChineseNormalizer.normalize("hello world"));
    }

    @Test
    void punctuationIsTheSymbolTables() {
        assertEquals(String.join("", Symbols.standard().punctuation()), ChineseText.PUNCTUATION);
    }
}
