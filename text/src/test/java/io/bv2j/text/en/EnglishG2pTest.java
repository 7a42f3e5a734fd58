package io.bv2j.text.en;

import io.bv2j.Bv2jException;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;
import io.bv2j.text.Symbols;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** English G2P on hand-checked sentences: normalisation, dictionary and letter-to-sound phones, tones, word2ph. */
class EnglishG2pTest {
    private static final EnglishG2p G2P = EnglishG2p.shared();

    private static String phones(String text) {
        return String.join(" ", G2P.phonemize(text).phones());
    }

    @Test
    void dictionarySentenceWithStressTonesAndWord2ph() {
        Phonemes p = G2P.phonemize("The green door opens to the garden.");
        assertEquals(Language.EN, p.language());
        assertEquals("the green door opens to the garden.", p.normText());
        // cmudict: green g r iy1 n, door d ao1 r, opens ow1 p ax n z, garden g aa1 r d ax n; ax → ah
        assertEquals("dh ah g r iy n d ao r ow p ah n z t ah dh ah g aa r d ah n .", String.join(" ", p.phones()));
        assertArrayEquals(new int[]{0, 1, 0, 0, 2, 0, 0, 2, 0, 2, 0, 1, 0, 0, 0, 1, 0, 1, 0, 2, 0, 0, 1, 0, 0}, p.tones());
        assertArrayEquals(new int[]{2, 4, 3, 5, 2, 2, 6, 1}, p.word2ph());
    }

    @Test
    void numbersOrdinalsYearsDecimalsCurrencyTimes() {
        assertEquals("i have three cats and twenty one dogs.", G2P.normalize("I have 3 cats and 21 dogs."));
        assertEquals("on the first and the twenty second of may twenty twenty four.",
                G2P.normalize("On the 1st and the 22nd of May 2024."));
        assertEquals("born in nineteen ninety nine, not two thousand five.", G2P.normalize("Born in 1999, not 2005."));
        assertEquals("pi is three point one four, minus seven is cold.", G2P.normalize("Pi is 3.14; -7 is cold."));
        assertEquals("one million people", G2P.normalize("1,000,000 people"));
        assertEquals("it costs one dollar, or two pounds five pence, or one thousand two hundred fifty euros.",
                G2P.normalize("It costs $1, or £2.05, or €1,250."));
        assertEquals("twelve dollars fifty cents", G2P.normalize("$12.50"));
        assertEquals("is it fifty percent done?", G2P.normalize("Is it 50% done?!"));
        assertEquals("meet at ten thirty or nine o'clock.", G2P.normalize("Meet at 10:30 or 9:00."));
        assertEquals("code one two three four five six seven eight nine zero one two three four five six seven eight nine",
                G2P.normalize("code 1234567890123456789"));
    }

    @Test
    void abbreviationsAccentsAndSymbols() {
        assertEquals("doctor brown versus missus green, for example.", G2P.normalize("Dr. Brown vs. Mrs. Green, e.g."));
        assertEquals("room number five, i said no.", G2P.normalize("Room no. 5, I said no."));
        assertEquals("cafe naive resume", G2P.normalize("Café naïve résumé"));
        assertEquals("salt and pepper at home plus tax", G2P.normalize("salt & pepper @ home + tax"));
    }

    @Test
    void punctuationMapsToTheMarksTheVoiceKnows() {
        // ; : → ,   … and ... → .   dashes between words → ,   quotes and brackets are not spoken
        assertEquals("wait, what, now. yes!", G2P.normalize("Wait; what: now... yes!"));
        assertEquals("he said, quoted bracketed well known, fine.", G2P.normalize("He said: \"quoted\" (bracketed) well-known — fine…"));
        assertEquals("really?", G2P.normalize("Really?!"));
        Phonemes p = G2P.phonemize("Yes, no? Maybe!");
        assertEquals("y eh s , n ow ? m ey b iy !", String.join(" ", p.phones()));
        assertArrayEquals(new int[]{3, 1, 2, 1, 4, 1}, p.word2ph());
        for (int i : new int[]{3, 6, 11}) assertEquals(0, p.tones()[i], "punctuation has tone 0");
    }

    @Test
    void unknownWordsGoThroughLetterToSound() {
        Phonemes p = G2P.phonemize("blorptastic");
        assertTrue(p.phones().size() >= 8, p.phones().toString());
        assertEquals("b", p.phones().getFirst());
        assertTrue(Arrays.stream(p.tones()).anyMatch(t -> t == 2), "letter-to-sound marks a stressed vowel");
        assertEquals("b iy b iy s iy", phones("bbc"), "a vowel-less word is spelled");
    }

    @Test
    void espeakConventionsTheDemoVoiceWasTrainedOn() {
        assertEquals("dh ih ow l d m ae n ah n d dh ah d ao g", phones("the old man and the dog"));
        assertEquals("m aa r k ih t", phones("market"), "unstressed -et is ih, as espeak reads it");
        assertEquals("V", G2P.phonemize("very").phones().get(0), "v is written V");
        Phonemes my = G2P.phonemize("my");
        assertArrayEquals(new int[]{0, 1}, my.tones(), "function words are unstressed");
    }

    @Test
    void contractionsKeepTheirStems() {
        assertEquals("ay l , w iy r , jh aa n z , d ih d ah n t , sh iy d , ih t s , d ow n t",
                phones("I'll, we're, John's, didn't, she'd, it's, don't"));
    }

    @Test
    void everyPhoneIsAnEnglishSymbolOfTheV11Table() {
        Symbols symbols = Symbols.standard();
        Set<String> english = Set.of("aa", "ae", "ah", "ao", "aw", "ay", "b", "ch", "d", "dh", "eh", "er", "ey", "f",
                "g", "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh", "t", "th", "uh",
                "uw", "V", "w", "y", "z", "zh", ",", ".", "?", "!");
        String text = "Xylophones, quizzical zephyrs and jovial thugs measure the azure vision! Pneumonia? Schmaltz, "
                + "gnocchi, tsunami, onomatopoeia, rhythm, buoyancy, bourgeois, juxtaposition, qwzxkt, ngorongoro.";
        Phonemes p = G2P.phonemize(text);
        for (int i = 0; i < p.phones().size(); i++) {
            String ph = p.phones().get(i);
            assertTrue(symbols.contains(ph) && english.contains(ph), "'" + ph + "' is not an English v1.1 symbol");
            int tone = p.tones()[i];
            boolean mark = ",.?!".contains(ph), vowel = Set.of("aa", "ae", "ah", "ao", "aw", "ay", "eh", "er", "ey",
                    "ih", "iy", "ow", "oy", "uh", "uw").contains(ph);
            assertTrue(vowel ? tone >= 1 && tone <= 3 : tone == 0, ph + " has tone " + tone);
            assertFalse(mark && tone != 0);
        }
        assertEquals(p.phones().size(), Arrays.stream(p.word2ph()).sum());
        p.ids(true); // every symbol has an id
    }

    @Test
    void nothingPronounceableIsOneLineError() {
        Bv2jException e = assertThrows(Bv2jException.class, () -> G2P.phonemize("?!... ,"));
        assertTrue(e.getMessage().startsWith("nothing pronounceable"), e.getMessage());
        assertThrows(Bv2jException.class, () -> G2P.phonemize("###"));
    }

    /** FreeTTS is guarded by a lock: concurrent readers get what one thread alone gets. */
    @Test
    void concurrentPhonemizationMatchesSequential() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            texts.add("Sentence " + i + " with words like zarquon" + i % 7 + "x and florbix" + (char) ('a' + i % 26)
                    + " plus the garden and " + (1900 + i) + ".");
        }
        List<List<String>> sequential = texts.stream().map(t -> new EnglishG2p().phonemize(t).phones()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String t : texts) futures.add(pool.submit(() -> G2P.phonemize(t).phones()));
            }
            for (int i = 0; i < futures.size(); i++) assertEquals(sequential.get(i % texts.size()), futures.get(i).get());
        } finally {
            pool.shutdownNow();
        }
    }
}
