package io.bv2j.text;

/** One sentence of a text as the front-end read it: its words as written, and its phonemes. */
public record Sentence(String text, Phonemes phonemes) {
    public Language language() {
        return phonemes.language();
    }
}
