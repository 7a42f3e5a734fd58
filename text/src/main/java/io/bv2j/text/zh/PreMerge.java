package io.bv2j.text.zh;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The reference's {@code pre_merge_for_modify}: joins segmented words so the tone sandhi sees
 * 不 and 一 with the word they modify, X一X reduplications, runs of third tones and 儿 suffixes
 * as one word. A merged word keeps the tag of its first part, except that 不 takes the tag of
 * the word it joins.
 */
final class PreMerge {

    private final Function<String, List<String>> finals;

    /** @param finals a word's finals with tone digits (pypinyin FINALS_TONE3), punctuation as itself */
    PreMerge(Function<String, List<String>> finals) {
        this.finals = finals;
    }

    List<Word> apply(List<Word> words) {
        List<Word> seg = mergeBu(words);
        seg = mergeYi(seg);
        seg = mergeReduplication(seg);
        seg = mergeThirdTones(seg, false);
        seg = mergeThirdTones(seg, true);
        return mergeEr(seg);
    }

    /** 不 joins the word after it; a 不 at the end stays a word of its own, tagged d. */
    static List<Word> mergeBu(List<Word> seg) {
        List<Word> out = new ArrayList<>();
        String last = "";
        for (Word w : seg) {
            Word word = last.equals("不") ? new Word(last + w.text(), w.tag()) : w;
            if (!word.text().equals("不")) out.add(word);
            last = word.text();
        }
        if (last.equals("不")) out.add(new Word("不", "d"));
        return out;
    }

    /**
     * A verb, 一 and the same verb become one word (听 一 听 → 听一听); then a lone 一 joins the
     * word after it. The reference indexes its output list by the input position, which only
     * works for the first reduplication of a sentence: at a second one it raises, its caller
     * swallows the error, and the sentence is left without any 一 merge. That is kept. Where the
     * first verb is not tagged v but the second is, the reference loops for ever; here there is
     * no reduplication, and 一 joins the second verb as any lone 一 does.
     */
    static List<Word> mergeYi(List<Word> seg) {
        List<Word> reduplicated = new ArrayList<>();
        boolean merged = false;
        int i = 0;
        while (i < seg.size()) {
            Word w = seg.get(i);
            if (i >= 1 && i + 1 < seg.size() && w.text().equals("一")
                    && seg.get(i - 1).text().equals(seg.get(i + 1).text()) && seg.get(i - 1).tag().equals("v")) {
                if (merged) return seg;
                Word verb = reduplicated.getLast();
                reduplicated.set(reduplicated.size() - 1, verb.append("一" + verb.text()));
                merged = true;
                i += 2;
            } else {
                reduplicated.add(w);
                i++;
            }
        }
        List<Word> out = new ArrayList<>();
        for (Word w : reduplicated) {
            if (!out.isEmpty() && out.getLast().text().equals("一")) {
                out.set(out.size() - 1, out.getLast().append(w.text()));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /** A word equal to the (possibly already merged) word before it joins it: 看 看 → 看看. */
    static List<Word> mergeReduplication(List<Word> seg) {
        List<Word> out = new ArrayList<>();
        for (Word w : seg) {
            if (!out.isEmpty() && out.getLast().text().equals(w.text())) {
                out.set(out.size() - 1, out.getLast().append(w.text()));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    /**
     * Two neighbouring words join when both are entirely third tone ({@code atBoundary} false),
     * or when the first ends and the second starts with a third tone ({@code atBoundary} true),
     * provided the first is not a reduplication (it needs its neutral tone), the two together
     * have at most three characters, and the first did not itself just absorb its predecessor.
     */
    List<Word> mergeThirdTones(List<Word> seg, boolean atBoundary) {
        List<List<String>> f = seg.stream().map(w -> finals.apply(w.text())).toList();
        List<Word> out = new ArrayList<>();
        boolean[] mergedIntoPrevious = new boolean[seg.size()];
        for (int i = 0; i < seg.size(); i++) {
            Word w = seg.get(i);
            boolean thirdTones = i >= 1 && (atBoundary
                    ? isThird(f.get(i - 1).getLast()) && isThird(f.get(i).getFirst())
                    : allThird(f.get(i - 1)) && allThird(f.get(i)));
            if (thirdTones && !mergedIntoPrevious[i - 1]) {
                Word previous = seg.get(i - 1);
                if (!isReduplication(previous.text()) && previous.length() + w.length() <= 3) {
                    out.set(out.size() - 1, out.getLast().append(w.text()));
                    mergedIntoPrevious[i] = true;
                    continue;
                }
            }
            out.add(w);
        }
        return out;
    }

    /** 儿 joins the word before it (the reference's guard against a '#' word cannot fire on normalised text). */
    static List<Word> mergeEr(List<Word> seg) {
        List<Word> out = new ArrayList<>();
        for (Word w : seg) {
            if (!out.isEmpty() && w.text().equals("儿")) {
                out.set(out.size() - 1, out.getLast().append(w.text()));
            } else {
                out.add(w);
            }
        }
        return out;
    }

    static boolean isThird(String fin) {
        return fin.endsWith("3");
    }

    static boolean allThird(List<String> finals) {
        return finals.stream().allMatch(PreMerge::isThird);
    }

    private static boolean isReduplication(String word) {
        return word.length() == 2 && word.charAt(0) == word.charAt(1);
    }
}
