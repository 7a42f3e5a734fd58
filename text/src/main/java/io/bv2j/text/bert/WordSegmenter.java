package io.bv2j.text.bert;

import java.util.List;

/**
 * Splits normalised text into words before WordPiece, for BERT folders whose tokenizer does not
 * use BERT's basic tokenizer: bert-base-japanese-v3 splits with MeCab (unidic-lite), which the
 * Japanese front-end owns and hands in.
 */
@FunctionalInterface
public interface WordSegmenter {
    List<String> words(String text);
}
