package io.bv2j.text.zh;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The pre-merge rules on hand-made segmentations, independent of HanLP. */
class PreMergeTest {

    /** Finals of the words used below, by hand from their standard pinyin. */
    private static final Map<String, List<String>> FINALS = Map.ofEntries(
            Map.entry("我", List.of("uo3")), Map.entry("很", List.of("en3")), Map.entry("好", List.of("ao3")),
            Map.entry("我很", List.of("uo3", "en3")), Map.entry("好好", List.of("ao3", "ao3")), Map.entry("走", List.of("ou3")),
            Map.entry("展览", List.of("an3", "an3")), Map.entry("馆长", List.of("uan3", "ang3")),
            Map.entry("小", List.of("iao3")), Map.entry("老虎", List.of("ao3", "u3")), Map.entry("买", List.of("ai3")),
            Map.entry("喜欢", List.of("i3", "uan1")), Map.entry("你", List.of("i3")), Map.entry("去", List.of("v4")));

    private final PreMerge merge = new PreMerge(FINALS::get);

    private static List<Word> words(String... wordSlashTag) {
        return Arrays.stream(wordSlashTag).map(s -> new Word(s.split("/")[0], s.split("/")[1])).toList();
    }

    @Test
    void buJoinsTheNextWordAndTakesItsTag() {
        assertEquals(words("不是/v"), PreMerge.mergeBu(words("不/d", "是/v")));
        assertEquals(words("我/r", "不/d"), PreMerge.mergeBu(words("我/r", "不/d")));
        assertEquals(words("不不/d", "好/a"), PreMerge.mergeBu(words("不/d", "不/d", "好/a")));
    }

    @Test
    void yiBetweenTheSameVerbMakesOneWord() {
        assertEquals(words("听一听/v"), PreMerge.mergeYi(words("听/v", "一/m", "听/v")));
        assertEquals(words("听一听/v", "吧/y"), PreMerge.mergeYi(words("听/v", "一/m", "听/v", "吧/y")));
    }

    @Test
    void loneYiJoinsTheNextWord() {
        assertEquals(words("一天/m"), PreMerge.mergeYi(words("一/m", "天/q")));
        // not a verb before 一: no reduplication, but 一 still takes the word after it
        assertEquals(words("看/n", "一看/m"), PreMerge.mergeYi(words("看/n", "一/m", "看/v")));
    }

    @Test
    void aSecondReduplicationInOneSentenceCancelsEveryYiMerge() {
        List<Word> seg = words("看/v", "一/m", "看/v", "听/v", "一/m", "听/v", "一/m", "天/q");
        assertEquals(seg, PreMerge.mergeYi(seg));
    }

    @Test
    void repeatedWordsJoin() {
        assertEquals(words("看看/v"), PreMerge.mergeReduplication(words("看/v", "看/v")));
        assertEquals(words("看看/v", "看/v"), PreMerge.mergeReduplication(words("看/v", "看/v", "看/v")));
    }

    @Test
    void wholeThirdToneWordsJoinUpToThreeCharacters() {
        assertEquals(words("我很/r", "好/a"), merge.mergeThirdTones(words("我/r", "很/d", "好/a"), false));
        assertEquals(words("小老虎/a"), merge.mergeThirdTones(words("小/a", "老虎/n"), false));
        assertEquals(words("展览/n", "馆长/n"), merge.mergeThirdTones(words("展览/n", "馆长/n"), false));
        assertEquals(words("好好/d", "走/v"), merge.mergeThirdTones(words("好好/d", "走/v"), false));
        assertEquals(words("你/r", "去/v"), merge.mergeThirdTones(words("你/r", "去/v"), false));
    }

    @Test
    void thirdTonesMeetingAtTheBoundaryJoin() {
        assertEquals(words("我很好/r"), merge.mergeThirdTones(words("我很/r", "好/a"), true));
        assertEquals(words("买喜欢/v"), merge.mergeThirdTones(words("买/v", "喜欢/v"), true));
        assertEquals(words("喜欢/v", "你/r"), merge.mergeThirdTones(words("喜欢/v", "你/r"), true));
    }

    @Test
    void allRulesInTheReferenceOrder() {
        assertEquals(words("我很好/r"), merge.apply(words("我/r", "很/d", "好/a")));
    }

    @Test
    void erJoinsTheWordBefore() {
        assertEquals(words("小孩儿/n"), PreMerge.mergeEr(words("小孩/n", "儿/n")));
        assertEquals(words("儿/n", "女/n"), PreMerge.mergeEr(words("儿/n", "女/n")));
    }
}
