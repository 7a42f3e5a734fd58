package io.bv2j.text.zh;

/**
 * One character's pinyin in pypinyin's strict style, the form the reference's sandhi and phone
 * rules are written against: {@code initial} is empty for syllables spelled with y/w or none
 * (y, w are not initials), {@code finalTone3} is the final with its tone digit, 5 for neutral
 * (zhang3 → zh + ang3, you3 → "" + iou3, ju1 → j + v1, gui4 → g + uei4). A punctuation
 * character stands for itself in both fields, as pypinyin returns it.
 */
record Syllable(String initial, String finalTone3) {

    static Syllable punctuation(char c) {
        String s = String.valueOf(c);
        return new Syllable(s, s);
    }

    boolean isPunctuation() {
        return initial.equals(finalTone3);
    }
}
