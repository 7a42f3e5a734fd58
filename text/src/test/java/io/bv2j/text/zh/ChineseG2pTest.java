package io.bv2j.text.zh;

import io.bv2j.Bv2jException;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Whole sentences through HanLP. Expected phones and tones are worked out by hand: standard
 * dictionary pinyin of each word, then the reference's merge and sandhi rules, then the
 * opencpop table. Every CJK character is 2 phones, punctuation 1.
 */
class ChineseG2pTest {

    private static final ChineseG2p G2P = new ChineseG2p();

    /** Phones written "phone+tone" ("b2 u2"), without the boundary _ which the test adds. */
    private static void assertPhonemes(String text, String expected) {
        Phonemes p = G2P.phonemize(text);
        List<String> phones = new ArrayList<>(List.of("_"));
        List<Integer> tones = new ArrayList<>(List.of(0));
        for (String pt : expected.split(" ")) {
            phones.add(pt.substring(0, pt.length() - 1));
            tones.add(pt.charAt(pt.length() - 1) - '0');
        }
        phones.add("_");
        tones.add(0);
        assertEquals(phones, p.phones(), text);
        assertArrayEquals(tones.stream().mapToInt(Integer::intValue).toArray(), p.tones(), text + ": tones");
        int[] word2ph = new int[p.normText().length() + 2];
        Arrays.fill(word2ph, 1);
        for (int i = 0; i < p.normText().length(); i++) {
            if (ChineseText.isHan(p.normText().charAt(i))) word2ph[i + 1] = 2;
        }
        assertArrayEquals(word2ph, p.word2ph(), text + ": word2ph");
        assertEquals(Language.ZH, p.language());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            // 不 before a fourth tone
            "不是 | b2 u2 sh4 ir4",
            // 一 before a fourth tone, 个 a measure word
            "一个 | y2 i2 g5 e5",
            "一样 | y2 i2 y4 ang4",
            // before another tone
            "一天 | y4 i4 t1 ian1",
            // X一X
            "看一看 | k4 an4 y5 i5 k4 an4",
            // ordinal
            "第一 | d4 i4 y1 i1",
            // third tones
            "你好 | n2 i2 h3 ao3",
            "展览馆 | zh2 an2 l2 an2 g3 uan3",
            "纸老虎 | zh3 ir3 l2 ao2 h3 u3",
            "我很好 | w3 o3 h2 en2 h3 ao3",
            // 好 and 喜欢 merge at the third-tone boundary; 喜欢 is on the neutral list
            "好喜欢 | h2 ao2 x3 i3 h5 uan5",
            // neutral suffixes, and a word the reference exempts
            "我们 | w3 o3 m5 en5",
            "同学们 | t2 ong2 x2 ve2 m5 en5",
            "桌子 | zh1 uo1 z5 i05",
            "男子 | n2 an2 z3 i03",
            // 儿 is its own syllable er (dictionary 小孩儿 xiǎo hái ér)
            "小孩儿 | x3 iao3 h2 ai2 EE2 er2",
            // polyphones follow the word
            "银行 | y2 in2 h2 ang2",
            "行走 | x2 ing2 z3 ou3",
            "长大 | zh3 ang3 d4 a4",
            "长度 | ch2 ang2 d4 u4",
            // numbers
            "2023年 | EE4 er4 q1 ian1 l2 ing2 EE4 er4 sh2 ir2 s1 an1 n2 ian2",
            "10 | sh2 ir2",
            // punctuation: each its own phone with tone 0, and the sentence split after it
            "你好，世界！ | n2 i2 h3 ao3 ,0 sh4 ir4 j4 ie4 !0",
            "《银行》…… | '0 y2 in2 h2 ang2 '0 …0 …0",
            "hello你好world | n2 i2 h3 ao3",
    })
    void pronouncesAsTheReferenceRulesSay(String text, String expected) {
        assertPhonemes(text, expected);
    }

    @Test
    void wordToPhonesCoversEveryCharacterAndTheBoundaries() {
        Phonemes p = G2P.phonemize("今天是2023年10月1日，天气很好！");
        assertEquals("今天是二千零二十三年十月一日,天气很好!", p.normText());
        assertEquals(p.normText().length() + 2, p.word2ph().length);
        assertEquals(p.phones().size(), Arrays.stream(p.word2ph()).sum());
        // and the model can take them: every phone is a symbol, tones within ZH's six
        assertEquals(2 * p.phones().size() + 1, p.ids(true).phones().length);
    }

    @Test
    void textWithNothingChineseIsAUserError() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> G2P.phonemize("hello world"));
        assertEquals(1, e.getMessage().lines().count());
        assertThrows(Bv2jException.class, () -> G2P.phonemize("!?"));
    }

    @Test
    void unnormalisedTextIsAUserError() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> G2P.g2p("你好 world"));
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aCharacterWithoutPinyinIsAUserError() {
        // 乥 is in the kept CJK range but in no pinyin dictionary of HanLP's
        assertThrows(Bv2jException.class, () -> G2P.g2p("乥"));
    }

    @Test
    void oneInstanceServesManyThreads() throws Exception {
        List<String> texts = List.of("银行行长说，长大以后要去行走。", "我很好，你好吗？", "一个一样看一看，第一！", "不是不好，是很好。");
        List<Phonemes> expected = texts.stream().map(G2P::phonemize).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Phonemes>> futures = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (String t : texts) futures.add(pool.submit(() -> G2P.phonemize(t)));
            }
            for (int i = 0; i < futures.size(); i++) {
                Phonemes got = futures.get(i).get();
                Phonemes want = expected.get(i % texts.size());
                assertEquals(want.phones(), got.phones());
                assertArrayEquals(want.tones(), got.tones());
            }
        } finally {
            pool.shutdown();
        }
    }
}
