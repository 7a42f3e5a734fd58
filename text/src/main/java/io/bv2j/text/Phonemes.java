package io.bv2j.text;

import io.bv2j.Bv2jException;

import java.util.List;

/**
 * What a language's G2P makes of one normalised text, before ids and blanks (the reference's
 * {@code clean_text} result): phones as symbol-table names, language-local tones, and
 * {@code word2ph[i]} = phones of the i-th BERT token position. For ZH and JP the phones are
 * wrapped as {@code _ … _} and word2ph as {@code [1] + … + [1]} (the tokenizer's [CLS]/[SEP]).
 *
 * @param normText the normalised text the BERT features are computed from
 */
public record Phonemes(Language language, String normText, List<String> phones, int[] tones, int[] word2ph) {

    public Phonemes {
        phones = List.copyOf(phones);
        tones = tones.clone();
        word2ph = word2ph.clone();
        if (tones.length != phones.size()) {
            throw new IllegalArgumentException(phones.size() + " phones but " + tones.length + " tones");
        }
        long sum = 0;
        for (int w : word2ph) {
            if (w < 0) throw new IllegalArgumentException("negative word2ph entry " + w);
            sum += w;
        }
        if (sum != phones.size()) {
            throw new IllegalArgumentException("word2ph sums to " + sum + " but there are " + phones.size() + " phones");
        }
        if (phones.isEmpty()) throw new Bv2jException("nothing pronounceable in the text");
    }

    /** Model-level ids (symbol ids, tones with the language's offset, language ids), blanks added when asked. */
    public TextIds.Sequence ids(boolean addBlank) {
        return TextIds.of(phones, tones, language.code(), addBlank, Symbols.standard());
    }

    /** word2ph as the model sees it: doubled with one more at the start when blanks are added. */
    public int[] word2ph(boolean addBlank) {
        return addBlank ? TextIds.blankWord2ph(word2ph) : word2ph.clone();
    }
}
