package io.bv2j.text.zh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The reference's {@code modified_tone}: the tone changes of spoken Mandarin applied to one
 * (pre-merged) word's finals, in the reference's order — 不, 一, neutral tones, third-tone runs.
 * Finals are pypinyin FINALS_TONE3 strings; a change rewrites the trailing tone digit.
 */
final class ToneSandhi {

    private static final String PARTICLES = "吧呢啊呐噻嘛吖嗨呐哦哒额滴哩哟喽啰耶喔诶";
    private static final String STRUCTURAL_PARTICLES = "的地得";
    private static final String NOUN_SUFFIXES = "们子";
    private static final String LOCATIVE_SUFFIXES = "上下里";
    private static final String DIRECTION_SUFFIXES = "来去";
    private static final String DIRECTION_VERBS = "上下进出回过起开";
    /** Characters before 个 that make it a measure word, beside numerals. */
    private static final String MEASURE_CONTEXT = "几有两半多各整每做是";
    /**
     * The characters of the kept CJK range for which Python's {@code str.isnumeric} holds
     * (Unicode 14 Unihan numeric values, as in the Pythons the reference ran on). Fixed here
     * rather than asked of ICU, whose newer Unicode also counts 两, 俩 and a few others.
     */
    private static final String NUMERIC_HAN = "一七万三九二五亖亿什仟仨伍佰億兆兩八六十千卄卅卌叁参參叄四壱壹幺廾廿弌弍弎弐拾捌柒漆玖百肆萬貮貳贰阡陆陌陸零";
    /** After these 一 keeps its first tone (the reference's list, full-width and ASCII). */
    private static final String PAUSES_AFTER_YI = "：，；。？！“”‘’':,;.?!";

    private final Set<String> neutralWords = wordList("neutral-tone-words.txt");
    private final Set<String> notNeutralWords = wordList("not-neutral-tone-words.txt");
    private final Function<String, List<String>> searchPieces;

    /** @param searchPieces jieba's {@code cut_for_search} of a word (see {@link WordSegmenter#searchPieces}) */
    ToneSandhi(Function<String, List<String>> searchPieces) {
        this.searchPieces = searchPieces;
    }

    /** {@code finals} of {@code word} (tagged {@code tag}) after the sandhi rules. */
    List<String> apply(String word, String tag, List<String> finals) {
        if (finals.size() != word.length()) throw new IllegalArgumentException(finals.size() + " finals for '" + word + "'");
        List<String> f = new ArrayList<>(finals);
        bu(word, f);
        yi(word, f);
        neutral(word, tag, f);
        thirdTones(word, f);
        return List.copyOf(f);
    }

    private static void bu(String word, List<String> f) {
        if (word.length() == 3 && word.charAt(1) == '不') {
            setTone(f, 1, '5');  // 看不懂
            return;
        }
        for (int i = 0; i + 1 < word.length(); i++) {
            if (word.charAt(i) == '不' && tone(f.get(i + 1)) == '4') setTone(f, i, '2');  // 不怕
        }
    }

    private static void yi(String word, List<String> f) {
        if (word.indexOf('一') < 0) return;
        if (word.chars().filter(c -> c != '一').allMatch(ToneSandhi::isNumeric)) return;  // 一零零, 二一零
        if (word.length() == 3 && word.charAt(1) == '一' && word.charAt(0) == word.charAt(2)) {
            setTone(f, 1, '5');  // 看一看
        } else if (word.startsWith("第一")) {
            setTone(f, 1, '1');  // ordinal
        } else {
            for (int i = 0; i + 1 < word.length(); i++) {
                if (word.charAt(i) != '一') continue;
                if (tone(f.get(i + 1)) == '4') {
                    setTone(f, i, '2');  // 一段
                } else if (PAUSES_AFTER_YI.indexOf(word.charAt(i + 1)) < 0) {
                    setTone(f, i, '4');  // 一天
                }
            }
        }
    }

    private void neutral(String word, String tag, List<String> f) {
        int last = word.length() - 1;
        // reduplicated nouns, verbs and adjectives: 奶奶, 试试
        if ("nva".indexOf(tag.charAt(0)) >= 0 && !notNeutralWords.contains(word)) {
            for (int j = 1; j < word.length(); j++) {
                if (word.charAt(j) == word.charAt(j - 1)) setTone(f, j, '5');
            }
        }
        char end = word.charAt(last);
        int ge = word.indexOf('个');
        if (PARTICLES.indexOf(end) >= 0 || STRUCTURAL_PARTICLES.indexOf(end) >= 0) {
            setTone(f, last, '5');
        } else if (word.length() > 1 && NOUN_SUFFIXES.indexOf(end) >= 0 && (tag.equals("r") || tag.equals("n"))
                && !notNeutralWords.contains(word)) {
            setTone(f, last, '5');  // 我们, 桌子
        } else if (word.length() > 1 && LOCATIVE_SUFFIXES.indexOf(end) >= 0 && (tag.equals("s") || tag.equals("l") || tag.equals("f"))) {
            setTone(f, last, '5');  // 桌上, 家里
        } else if (word.length() > 1 && DIRECTION_SUFFIXES.indexOf(end) >= 0 && DIRECTION_VERBS.indexOf(word.charAt(last - 1)) >= 0) {
            setTone(f, last, '5');  // 上来, 下去
        } else if ((ge >= 1 && (isNumeric(word.charAt(ge - 1)) || MEASURE_CONTEXT.indexOf(word.charAt(ge - 1)) >= 0)) || word.equals("个")) {
            setTone(f, ge, '5');  // 个 as a measure word
        } else if (isNeutralWord(word)) {
            setTone(f, last, '5');
        }
        // and the same list tested on each half of the word
        List<String> halves = splitInTwo(word);
        int firstLength = halves.getFirst().length();
        if (isNeutralWord(halves.get(0))) setTone(f, firstLength - 1, '5');
        if (isNeutralWord(halves.get(1))) setTone(f, last, '5');
    }

    private void thirdTones(String word, List<String> f) {
        switch (word.length()) {
            case 2 -> {
                if (PreMerge.allThird(f)) setTone(f, 0, '2');  // 你好
            }
            case 3 -> threeSyllables(word, f);
            case 4 -> {
                // an idiom is read as two words of two
                if (PreMerge.allThird(f.subList(0, 2))) setTone(f, 0, '2');
                if (PreMerge.allThird(f.subList(2, 4))) setTone(f, 2, '2');
            }
            default -> {
            }
        }
    }

    private void threeSyllables(String word, List<String> f) {
        int split = splitInTwo(word).getFirst().length();
        if (PreMerge.allThird(f)) {
            if (split == 2) {  // 蒙古/包, 展览/馆
                setTone(f, 0, '2');
                setTone(f, 1, '2');
            } else if (split == 1) {  // 纸/老虎
                setTone(f, 1, '2');
            }
            return;
        }
        List<String> first = f.subList(0, split);
        List<String> second = f.subList(split, f.size());
        if (first.size() == 2 && PreMerge.allThird(first)) {
            setTone(first, 0, '2');  // 所有/人
        }
        if (second.size() == 2 && PreMerge.allThird(second)) {
            setTone(second, 0, '2');
        } else if (!PreMerge.allThird(second) && tone(second.getFirst()) == '3' && tone(first.getLast()) == '3') {
            setTone(first, first.size() - 1, '2');  // 好/喜欢
        }
    }

    /**
     * The reference's {@code _split_word}: the shortest search piece (the first of equal ones)
     * and the rest of the word, in word order. The two may overlap or miss characters when the
     * piece is neither a prefix nor a suffix; only their lengths and list membership matter.
     */
    private List<String> splitInTwo(String word) {
        String piece = searchPieces.apply(word).stream().min(Comparator.comparingInt(String::length)).orElse(word);
        if (word.indexOf(piece) == 0) return List.of(piece, word.substring(piece.length()));
        return List.of(word.substring(0, word.length() - piece.length()), piece);
    }

    private boolean isNeutralWord(String word) {
        return neutralWords.contains(word) || neutralWords.contains(word.substring(Math.max(0, word.length() - 2)));
    }

    /** Python's {@code str.isnumeric} on a character of normalised text (only Han characters can be numeric there). */
    private static boolean isNumeric(int c) {
        return NUMERIC_HAN.indexOf(c) >= 0;
    }

    private static char tone(String fin) {
        return fin.charAt(fin.length() - 1);
    }

    // Punctuation has no tone to change; the rules never reach it in practice, and where the
    // reference would overwrite it the result could not be pronounced.
    private static void setTone(List<String> f, int i, char tone) {
        String fin = f.get(i);
        if (Character.isDigit(tone(fin))) f.set(i, fin.substring(0, fin.length() - 1) + tone);
    }

    private static Set<String> wordList(String resource) {
        try (InputStream in = ToneSandhi.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("classpath resource io/bv2j/text/zh/" + resource + " is missing");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.startsWith("#"))
                    .flatMap(line -> Arrays.stream(line.trim().split("\\s+")))
                    .filter(w -> !w.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read io/bv2j/text/zh/" + resource, e);
        }
    }
}
