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
 * Viterbi segmenter over its core and custom dictionaries. Part-of-speech tagging is left off,
 * so each dictionary word carries its most frequent tag whatever the context — as jieba.posseg
 * gives every dictionary word its one dictionary tag. HanLP's portable dictionaries already use
 * jieba's tag names (uj, ul, uz, ug, l, i, s, f, ...); only punctuation is renamed (HanLP w, jieba x).
 * The segmenter is configured once and only read afterwards, so one instance serves all threads.
 */
final class WordSegmenter {

    private final Segment segment = new ViterbiSegment();

    List<Word> segment(String sentence) {
        List<Word> words = new ArrayList<>();
        for (Term term : segment.seg(sentence)) words.add(new Word(term.word, jiebaTag(term.nature.toString())));
        return words;
    }

    /**
     * The pieces jieba's {@code cut_for_search} yields for {@code word}, in its order: each
     * segmented piece, preceded (for pieces longer than two or three characters) by its
     * two- and three-character substrings that are dictionary words.
     */
    List<String> searchPieces(String word) {
        List<String> pieces = new ArrayList<>();
        for (Term term : segment.seg(word)) {
            String piece = term.word;
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
            if (CoreDictionary.contains(gram) || CustomDictionary.contains(gram)) pieces.add(gram);
        }
    }

    private static String jiebaTag(String hanlpNature) {
        return hanlpNature.equals("w") ? "x" : hanlpNature;
    }
}
