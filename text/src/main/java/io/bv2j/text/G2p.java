package io.bv2j.text;

/**
 * One language's front-end: normalisation, then grapheme-to-phoneme. Implementations are
 * immutable and safe to share between threads.
 */
public interface G2p {

    Language language();

    /** The reference's {@code text_normalize}: the text the phones and the BERT features are made from. */
    String normalize(String text);

    /**
     * Phones, tones and word2ph of already normalised text ({@link #normalize}).
     *
     * @throws io.bv2j.Bv2jException when nothing in it can be pronounced
     */
    Phonemes g2p(String normText);

    /** normalize, then g2p. */
    default Phonemes phonemize(String text) {
        return g2p(normalize(text));
    }
}
