package io.bv2j.text.zh;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The sandhi rules on hand-written finals (pypinyin strict style), independent of HanLP: each
 * row is word, tag, finals before, finals the reference's rules give.
 */
class ToneSandhiTest {

    /** jieba-style search pieces for the words whose split matters; others are one piece. */
    private static final Map<String, List<String>> PIECES = Map.of(
            "展览馆", List.of("展览", "展览馆"),
            "纸老虎", List.of("老虎", "纸老虎"),
            "所有人", List.of("所有", "人"),
            "好喜欢", List.of("好", "喜欢"),
            "东西多", List.of("东西", "东西多"),
            "我很好", List.of("我", "很好"));

    private final ToneSandhi sandhi = new ToneSandhi(w -> PIECES.getOrDefault(w, List.of(w)));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // 不
            "不是 | v | u4 i4 | u2 i4",
            "不好 | a | u4 ao3 | u4 ao3",
            "看不懂 | v | an4 u4 ong3 | an4 u5 ong3",
            // 一
            "一个 | m | i1 e4 | i2 e5",
            "一样 | a | i1 iang4 | i2 iang4",
            "一天 | m | i1 ian1 | i4 ian1",
            "一年 | m | i1 ian2 | i4 ian2",
            "看一看 | v | an4 i1 an4 | an4 i5 an4",
            "第一 | m | i4 i4 | i4 i1",
            "一零零 | m | i1 ing2 ing2 | i1 ing2 ing2",
            "二一零 | m | er4 i1 ing2 | er4 i1 ing2",
            "十一 | m | ir2 i1 | ir2 i1",
            "一百个 | m | i1 ai3 e4 | i4 ai3 e5",
            "一 | m | i1 | i1",
            "一, | m | i1 , | i1 ,",
            "一… | m | i1 … | i4 …",
            // neutral tones
            "奶奶 | n | ai3 ai3 | ai3 ai5",
            "试试 | v | ir4 ir4 | ir4 ir5",
            "人人 | n | en2 en2 | en2 en2",
            "我们 | r | uo3 en2 | uo3 en5",
            "桌子 | n | uo1 i3 | uo1 i5",
            "男子 | n | an2 i3 | an2 i3",
            "孩子 | nz | ai2 i3 | ai2 i3",
            "桌上 | s | uo1 ang4 | uo1 ang5",
            "家里 | s | ia1 i3 | ia1 i5",
            "上来 | v | ang4 ai2 | ang4 ai5",
            "出去 | v | u1 v4 | u1 v5",
            "好吧 | l | ao3 a1 | ao3 a5",
            "我的 | r | uo3 e1 | uo3 e5",
            "几个 | m | i3 e4 | i3 e5",
            "个 | q | e4 | e5",
            "东西 | n | ong1 i1 | ong1 i5",
            "东西多 | n | ong1 i1 uo1 | ong1 i5 uo1",
            // third-tone runs
            "你好 | l | i3 ao3 | i2 ao3",
            "展览馆 | n | an3 an3 uan3 | an2 an2 uan3",
            "纸老虎 | n | i3 ao3 u3 | i3 ao2 u3",
            "我很好 | r | uo3 en3 ao3 | uo3 en2 ao3",
            "所有人 | b | uo3 iou3 en2 | uo2 iou3 en2",
            "好喜欢 | a | ao3 i3 uan1 | ao2 i3 uan5",
            "岂有此理 | i | i3 iou3 i3 i3 | i2 iou3 i2 i3",
    })
    void appliesTheReferenceRules(String word, String tag, String before, String after) {
        assertEquals(List.of(after.split(" ")), sandhi.apply(word, tag, List.of(before.split(" "))));
    }
}
