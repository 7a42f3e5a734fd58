package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.text.BertFeatures;
import io.bv2j.text.SubwordSplitter;

import java.nio.file.Path;

/** Placeholder until BERT on the JVM lands: a Hugging Face BERT folder (weights, config.json, vocabulary). */
public final class BertFolder {
    private BertFolder() { }

    /** Loads {@code dir}; a missing or corrupt folder is a one-line {@link Bv2jException}. */
    public static BertFolder load(Path dir) { throw new Bv2jException("BERT folders are not supported yet: " + dir); }

    /** hidden_states[-3] expanded by word2ph. */
    public BertFeatures features() { throw new UnsupportedOperationException(); }

    /** The folder's tokenizer splitting one word into WordPiece tokens. */
    public SubwordSplitter splitter() { throw new UnsupportedOperationException(); }
}
