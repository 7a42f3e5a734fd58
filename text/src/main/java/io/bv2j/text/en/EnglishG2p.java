package io.bv2j.text.en;

import io.bv2j.Bv2jException;
import io.bv2j.text.G2p;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;

/** Placeholder until the English front-end lands. */
public final class EnglishG2p implements G2p {
    @Override public Language language() { return Language.EN; }
    @Override public String normalize(String text) { throw new Bv2jException("English text is not supported yet"); }
    @Override public Phonemes g2p(String normText) { throw new Bv2jException("English text is not supported yet"); }
}
