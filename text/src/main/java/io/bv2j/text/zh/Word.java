package io.bv2j.text.zh;

/**
 * One segmented word and its part-of-speech tag, named as jieba names them (n, v, a, r, s, l, f,
 * m, d, ...): the tags the tone-sandhi rules test.
 */
record Word(String text, String tag) {

    /** This word with {@code more} appended, keeping this word's tag (as the reference's merges do). */
    Word append(String more) {
        return new Word(text + more, tag);
    }

    int length() {
        return text.length();
    }
}
