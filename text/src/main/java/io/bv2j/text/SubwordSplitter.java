package io.bv2j.text;

import java.util.List;

/**
 * Splits one word into the BERT tokenizer's pieces (WordPiece: "##" continuations), so a G2P
 * can spread a word's phones over the tokens its BERT features come from.
 */
@FunctionalInterface
public interface SubwordSplitter {

    List<String> split(String word);

    /** Every word one token: what is used when no BERT vocabulary is given. */
    static SubwordSplitter wholeWords() {
        return List::of;
    }
}
