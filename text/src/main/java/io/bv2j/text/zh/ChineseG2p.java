package io.bv2j.text.zh;

import io.bv2j.Bv2jException;
import io.bv2j.text.G2p;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;

import java.util.ArrayList;
import java.util.List;

/**
 * The Chinese front-end of Bert-VITS2 1.1.1 ({@code text/chinese.py}): normalisation, then per
 * sentence segmentation (HanLP in jieba's place), the pre-merge and tone-sandhi rules, pinyin
 * (HanLP's in pypinyin's place) and the opencpop phone table. Every character of the normalised
 * text gets one {@code word2ph} entry (2 phones for a syllable, 1 for punctuation), wrapped in
 * the 1s of the {@code _ … _} boundary phones. Immutable and safe to share between threads;
 * building the first one loads HanLP's dictionaries (about half a second).
 */
public final class ChineseG2p implements G2p {

    private final WordSegmenter segmenter = new WordSegmenter();
    private final PinyinReader pinyin = new PinyinReader();
    private final PreMerge preMerge = new PreMerge(pinyin::finals);
    private final ToneSandhi sandhi = new ToneSandhi(segmenter::searchPieces);
    private final PhoneTable phoneTable = PhoneTable.load();

    @Override
    public Language language() {
        return Language.ZH;
    }

    @Override
    public String normalize(String text) {
        return ChineseNormalizer.normalize(text);
    }

    @Override
    public Phonemes g2p(String normText) {
        checkNormalised(normText);
        List<String> phones = new ArrayList<>();
        List<Integer> tones = new ArrayList<>();
        List<Integer> word2ph = new ArrayList<>();
        phones.add("_");
        tones.add(0);
        word2ph.add(1);
        for (String sentence : sentences(normText)) {
            for (Word word : preMerge.apply(segmenter.segment(sentence))) {
                List<Syllable> syllables = pinyin.read(word.text());
                List<String> finals = sandhi.apply(word.text(), word.tag(), syllables.stream().map(Syllable::finalTone3).toList());
                for (int i = 0; i < syllables.size(); i++) {
                    PhoneTable.Phones p = phoneTable.phones(new Syllable(syllables.get(i).initial(), finals.get(i)));
                    phones.addAll(p.phones());
                    for (int k = 0; k < p.phones().size(); k++) tones.add(p.tone());
                    word2ph.add(p.phones().size());
                }
            }
        }
        phones.add("_");
        tones.add(0);
        word2ph.add(1);
        // the reference's assertion: one BERT token per character, plus [CLS] and [SEP]
        if (word2ph.size() != normText.length() + 2) {
            throw new IllegalStateException(word2ph.size() + " word2ph entries for " + normText.length() + " characters of '" + normText + "'");
        }
        return new Phonemes(Language.ZH, normText, phones, tones.stream().mapToInt(Integer::intValue).toArray(),
                word2ph.stream().mapToInt(Integer::intValue).toArray());
    }

    private static void checkNormalised(String normText) {
        boolean han = false;
        for (int i = 0; i < normText.length(); i++) {
            char c = normText.charAt(i);
            if (ChineseText.isHan(c)) {
                han = true;
            } else if (!ChineseText.isPunctuation(c)) {
                throw new Bv2jException("character '" + c + "' at " + i + " is not in normalised Chinese text (normalize it first)");
            }
        }
        if (!han) throw new Bv2jException("no Chinese characters to pronounce in '" + normText + "'");
    }

    /** The reference splits after every punctuation symbol, so each sentence ends in at most one. */
    private static List<String> sentences(String normText) {
        List<String> sentences = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < normText.length(); i++) {
            if (ChineseText.isPunctuation(normText.charAt(i))) {
                sentences.add(normText.substring(start, i + 1));
                start = i + 1;
            }
        }
        if (start < normText.length()) sentences.add(normText.substring(start));
        return sentences;
    }
}
