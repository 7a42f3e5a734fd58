package io.bv2j.text.zh;

import com.hankcs.hanlp.dictionary.CoreDictionary;
import com.hankcs.hanlp.dictionary.CustomDictionary;
import com.hankcs.hanlp.seg.Segment;
import com.hankcs.hanlp.seg.Viterbi.ViterbiSegment;
import com.hankcs.hanlp.seg.common.Term;

import java.util.ArrayList;
import java.util.List;

/**
 * Word segmentation with part-of-speech tags, standing in for the reference's jieba: HanLP's
 * Viterbi segmenter over its core dictionary. Its custom dictionary is left out of segmenting
 * because it glues phrases jieba keeps apart (同学们, 很忙, 吃面条, all tagged nz); on a sample
 * of everyday sentences that halves the disagreements with jieba. Part-of-speech tagging is left
 * off, so each word carries its most frequent dictionary tag whatever the context, as
 * jieba.posseg gives every dictionary word its one tag. HanLP's portable dictionaries use
 * jieba's tag names (n, v, a, r, s, l, f, uj, ul, ...), so they pass unchanged: the rules test
 * only the first letter (n, v, a) or the tags r, n, s, l, f and v, which both name alike. The
 * tags the rules never test differ in places (HanLP w for punctuation where jieba says x, mq
 * for 一个 where jieba says m).
 * The segmenter is configured once and only read afterwards, so one instance serves all threads.
 */
final class WordSegmenter {

    private final Segment segment = new ViterbiSegment().enableCustomDictionary(false);

    List<Word> segment(String sentence) {
        List<Word> words = new ArrayList<>();
        for (Term term : segment.seg(sentence)) words.add(new Word(term.word, term.nature.toString()));
        return words;
    }

    /**
     * The pieces jieba's {@code cut_for_search} yields for {@code word}, in its order: the word
     * itself if it is a dictionary word (jieba cuts its own words back out whole), else its
     * segments; each preceded, when longer than two or three characters, by its two- and
     * three-character substrings that are dictionary words. "Dictionary" here is HanLP's core
     * and custom dictionaries together, nearer in size to jieba's than the core alone.
     */
    List<String> searchPieces(String word) {
        List<String> cut = isDictionaryWord(word) ? List.of(word) : segment.seg(word).stream().map(t -> t.word).toList();
        List<String> pieces = new ArrayList<>();
        for (String piece : cut) {
            addDictionaryGrams(piece, 2, pieces);
            addDictionaryGrams(piece, 3, pieces);
            pieces.add(piece);
        }
        return pieces;
    }

    private static void addDictionaryGrams(String piece, int n, List<String> pieces) {
        if (piece.length() <= n) return;
        for (int i = 0; i + n <= piece.length(); i++) {
            String gram = piece.substring(i, i + n);
            if (isDictionaryWord(gram)) pieces.add(gram);
        }
    }

    private static boolean isDictionaryWord(String s) {
        return CoreDictionary.contains(s) || CustomDictionary.contains(s);
    }

}
