package io.bv2j.text.ja;

import io.bv2j.Bv2jException;
import io.bv2j.text.G2p;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;
import io.bv2j.text.SubwordSplitter;

/** Placeholder until the Japanese front-end lands. */
public final class JapaneseG2p implements G2p {
    public JapaneseG2p(SubwordSplitter splitter) { }
    @Override public Language language() { return Language.JP; }
    @Override public String normalize(String text) { throw new Bv2jException("Japanese text is not supported yet"); }
    @Override public Phonemes g2p(String normText) { throw new Bv2jException("Japanese text is not supported yet"); }
}
