package io.bv2j.text.ja;

import io.bv2j.Bv2jException;
import io.bv2j.text.G2p;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;
import io.bv2j.text.SubwordSplitter;
import io.bv2j.text.Symbols;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Japanese as Bert-VITS2 1.1.1 reads it ({@code text/japanese.py}): the text is split into words
 * as its BERT tokenizer splits it (MeCab words, each cut into WordPiece tokens), every word is
 * read in katakana by the dictionary, the katakana become phones by the rule table, and a word's
 * phones are shared among its tokens so that {@code word2ph} has one entry per BERT token. Tones
 * are all 0; phones are wrapped as {@code _ … _} and word2ph as {@code [1] + … + [1]}.
 *
 * <p>Immutable and thread-safe; the dictionary is loaded once per JVM, on the first g2p.
 */
public final class JapaneseG2p implements G2p {

    private static final int QUOTE_LIMIT = 40;

    private final SubwordSplitter splitter;

    /** @param splitter the BERT vocabulary's WordPiece, or {@link SubwordSplitter#wholeWords()} without one */
    public JapaneseG2p(SubwordSplitter splitter) {
        this.splitter = Objects.requireNonNull(splitter, "splitter");
    }

    @Override
    public Language language() {
        return Language.JP;
    }

    @Override
    public String normalize(String text) {
        return JapaneseNormalizer.normalize(text);
    }

    /**
     * The words the BERT tokenizer cuts {@code normText} into before WordPiece: what a
     * {@link io.bv2j.text.BertFeatures} for Japanese must tokenize, word by word with the same
     * splitter, for its rows to line up with {@link #g2p}'s word2ph.
     */
    public static List<String> bertWords(String normText) {
        return readWords(normText).stream().map(WordReadings.Word::surface).toList();
    }

    // The BERT tokenizer applies NFKC again before MeCab, which turns a normalised … back into ...
    private static List<WordReadings.Word> readWords(String normText) {
        return WordReadings.words(Normalizer.normalize(normText, Normalizer.Form.NFKC));
    }

    @Override
    public Phonemes g2p(String normText) {
        Symbols symbols = Symbols.standard();
        List<String> phones = new ArrayList<>();
        List<Integer> word2ph = new ArrayList<>();
        phones.add(symbols.pad());
        word2ph.add(1);
        boolean spoken = false;
        for (WordReadings.Word word : readWords(normText)) {
            List<String> wordPhones = KanaPhonemes.standard().phones(word.kana());
            for (String phone : wordPhones) {
                if (!symbols.contains(phone)) {
                    throw new Bv2jException("cannot pronounce '" + word.surface() + "' in '" + quote(normText)
                            + "': its reading '" + word.kana() + "' has '" + phone + "', which the kana rules cannot read");
                }
                spoken |= !symbols.punctuation().contains(phone);
            }
            int tokens = splitter.split(word.surface()).size();
            if (tokens == 0 && !wordPhones.isEmpty()) {
                throw new Bv2jException("the BERT tokenizer gave no tokens for '" + word.surface() + "' in '" + quote(normText) + "'");
            }
            phones.addAll(wordPhones);
            for (int n : PhoneDistribution.distribute(wordPhones.size(), tokens)) {
                word2ph.add(n);
            }
        }
        if (!spoken) {
            throw new Bv2jException("nothing Japanese to pronounce in '" + quote(normText)
                    + "': after normalisation only kana, kanji and ! ? … , . ' - are read");
        }
        phones.add(symbols.pad());
        word2ph.add(1);
        return new Phonemes(Language.JP, normText, phones, new int[phones.size()],
                word2ph.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The text as it can appear inside a one-line message. */
    private static String quote(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= QUOTE_LIMIT ? line : line.substring(0, QUOTE_LIMIT) + "…";
    }
}
