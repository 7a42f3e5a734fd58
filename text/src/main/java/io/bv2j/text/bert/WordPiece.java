package io.bv2j.text.bert;

import java.util.List;

/**
 * Greedy longest-match-first WordPiece: a word becomes the longest vocabulary prefix, then the
 * longest "##" continuation, and so on; a word with a part no piece matches, or longer than
 * {@value #MAX_WORD_CHARS} characters, is one [UNK] as a whole.
 */
final class WordPiece {
    static final int MAX_WORD_CHARS = 100;
    static final String CONTINUATION = "##";
    private final WordPieceVocab vocab;

    WordPiece(WordPieceVocab vocab) {
        this.vocab = vocab;
    }

    /** Appends the pieces of {@code text}'s white-space separated words to {@code out}. */
    void split(String text, List<String> out) {
        for (String word : BasicTokenizer.whitespaceSplit(text)) splitWord(word, out);
    }

    private void splitWord(String word, List<String> out) {
        int[] cps = word.codePoints().toArray();
        if (cps.length > MAX_WORD_CHARS) {
            out.add(WordPieceVocab.UNK);
            return;
        }
        int mark = out.size();
        for (int start = 0; start < cps.length; ) {
            String piece = null;
            int end = cps.length;
            for (; end > start; end--) {
                String candidate = (start > 0 ? CONTINUATION : "") + new String(cps, start, end - start);
                if (vocab.contains(candidate)) {
                    piece = candidate;
                    break;
                }
            }
            if (piece == null) {
                out.subList(mark, out.size()).clear();
                out.add(WordPieceVocab.UNK);
                return;
            }
            out.add(piece);
            start = end;
        }
    }
}
