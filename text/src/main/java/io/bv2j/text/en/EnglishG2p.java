package io.bv2j.text.en;

import io.bv2j.Bv2jException;
import io.bv2j.text.G2p;
import io.bv2j.text.Language;
import io.bv2j.text.Phonemes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English: {@link EnglishNormalizer}, then each word's pronunciation from the CMU dictionary
 * (FreeTTS's cmudict 0.4; its letter-to-sound rules for words it does not list, letter names for
 * vowel-less words such as "bbc"), in the symbols and tones the demo voice was trained on
 * (espeak-ng read through demo-corpus/phonemize.py; see {@link Arpabet}). Where espeak's reading
 * differs from the dictionary's in a systematic way that changes what is heard, the espeak form is
 * used: function words are unstressed, "the" before a vowel is "dh ih". No {@code _} wrap (the
 * v1.1 English convention); word2ph counts each word's phones and 1 per punctuation mark (English
 * BERT features are zeros in v1.1, so only their sum matters to the model). Safe to share.
 */
public final class EnglishG2p implements G2p {

    private static final Pattern TOKEN = Pattern.compile("[a-z]+(?:'[a-z]+)*'?|[,.?!]");
    private static final Pattern HAS_VOWEL_LETTER = Pattern.compile("[aeiouy]");

    /**
     * Words espeak-ng reads without stress in running speech (its "unstressed" word list, as far
     * as the demo corpus shows it): their vowels get tone 1 as the demo voice heard them.
     */
    static final Set<String> UNSTRESSED_WORDS = Set.of(
            "a", "an", "the", "to", "of", "and", "or", "but", "as", "at", "by", "for", "from", "in", "into", "on",
            "with", "is", "are", "am", "was", "were", "be", "been", "has", "have", "had", "do", "does", "can",
            "could", "will", "would", "shall", "should", "must", "i", "me", "my", "you", "your", "he", "him", "his",
            "she", "her", "it", "its", "we", "us", "our", "they", "them", "their", "that", "than", "some", "there",
            "if", "so", "not");

    /**
     * espeak-ng's en-us forms where they differ audibly from the dictionary's (weak forms of
     * function words, the present tense of "read"), in FreeTTS phone names.
     */
    private static final Map<String, List<String>> ESPEAK_FORMS = Map.of(
            "was", List.of("w", "ax", "z"), "for", List.of("f", "er"), "your", List.of("y", "uh", "r"),
            "than", List.of("dh", "ax", "n"), "and", List.of("ax", "n", "d"), "an", List.of("ax", "n"),
            "on", List.of("ao1", "n"), "read", List.of("r", "iy1", "d"));
    /**
     * Endings whose last, unstressed vowel espeak reads as ih where cmudict 0.4 writes the schwa ax
     * ("market", "boxes", "drifted", "fountain"); -en, -el and the like stay ah (syllabic n, l).
     */
    private static final Pattern IH_ENDING = Pattern.compile("(ed|es|et|est|ess|ic|ain|in|id|it|ish|age)$");
    private static final Set<String> SIBILANTS = Set.of("s", "z", "sh", "zh", "ch", "jh");
    private static final Set<String> VOICELESS = Set.of("p", "t", "k", "f", "th");

    private static final class Shared {
        static final EnglishG2p INSTANCE = new EnglishG2p();
    }

    private final EnglishNormalizer normalizer = new EnglishNormalizer();
    private final CmuLexicon lexicon = CmuLexicon.shared();

    /** One instance per process: it holds nothing per call, and its dictionary is loaded once anyway. */
    public static EnglishG2p shared() {
        return Shared.INSTANCE;
    }

    /**
     * Whether a word written with its period (given lower-case: "mr.") is an abbreviation rather
     * than the end of a sentence; "no." only before a number ("no. 5", not "I said no.").
     */
    public static boolean isAbbreviation(String wordWithPeriod, String following) {
        if (wordWithPeriod.equals("no.")) return following.stripLeading().matches("(?s)\\d.*");
        return EnglishNormalizer.ABBREVIATIONS.containsKey(wordWithPeriod);
    }

    @Override
    public Language language() {
        return Language.EN;
    }

    @Override
    public String normalize(String text) {
        return normalizer.normalize(text);
    }

    @Override
    public Phonemes g2p(String normText) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(normText);
        while (m.find()) tokens.add(m.group());
        List<String> phones = new ArrayList<>();
        List<Integer> tones = new ArrayList<>();
        List<Integer> word2ph = new ArrayList<>();
        boolean spoken = false;
        for (int i = 0; i < tokens.size(); i++) {
            String t = tokens.get(i);
            List<Arpabet.Phone> word = isMark(t) ? List.of(new Arpabet.Phone(t, Arpabet.CONSONANT))
                    : word(t, i + 1 < tokens.size() ? tokens.get(i + 1) : null);
            spoken |= !isMark(t);
            for (Arpabet.Phone p : word) {
                phones.add(p.symbol());
                tones.add(p.tone());
            }
            word2ph.add(word.size());
        }
        if (!spoken) throw new Bv2jException("nothing pronounceable in the English text '" + normText + "'");
        return new Phonemes(Language.EN, normText, phones, tones.stream().mapToInt(Integer::intValue).toArray(),
                word2ph.stream().mapToInt(Integer::intValue).toArray());
    }

    /** One word's phones; `next` (the following token, or null) decides the form of "the". */
    List<Arpabet.Phone> word(String word, String next) {
        List<Arpabet.Phone> out = new ArrayList<>();
        if (word.equals("the") && next != null && !isMark(next) && startsWithVowelSound(next)) {
            return List.of(new Arpabet.Phone("dh", Arpabet.CONSONANT), new Arpabet.Phone("ih", Arpabet.UNSTRESSED));
        }
        boolean unstressed = UNSTRESSED_WORDS.contains(word);
        for (String p : pronunciation(word)) {
            Arpabet.Phone ph = Arpabet.convert(p);
            out.add(unstressed && ph.vowel() ? ph.withTone(Arpabet.UNSTRESSED) : ph);
        }
        return out;
    }

    /** FreeTTS phones of one word, adjusted to espeak's reading. */
    List<String> pronunciation(String word) {
        List<String> p = new ArrayList<>(dictionaryForm(word));
        if (IH_ENDING.matcher(word).find()) {
            for (int i = p.size() - 1; i >= 0; i--) {
                if (!Arpabet.convert(p.get(i)).vowel()) continue;
                if (p.get(i).equals("ax")) p.set(i, "ih");
                break;
            }
        }
        // an r-coloured vowel before another vowel keeps its r audible: "worried" w er r iy d
        for (int i = p.size() - 2; i >= 0; i--) {
            if (p.get(i).startsWith("er") && Arpabet.convert(p.get(i + 1)).vowel()) p.add(i + 1, "r");
        }
        if (word.startsWith("every") && p.size() > 3 && p.get(2).equals("er")) p.set(2, "r"); // eh v r iy
        return p;
    }

    private List<String> dictionaryForm(String word) {
        List<String> espeak = ESPEAK_FORMS.get(word);
        if (espeak != null) return espeak;
        int apostrophe = word.indexOf('\'');
        if (apostrophe > 0) {
            List<String> contracted = contraction(word.substring(0, apostrophe), word.substring(apostrophe + 1));
            if (contracted != null) return contracted;
        }
        List<String> listed = lexicon.listed(word);
        if (listed != null) return listed;
        String letters = word.replace("'", "");
        if (!HAS_VOWEL_LETTER.matcher(letters).find()) return spelled(letters);
        return lexicon.pronounce(word);
    }

    /**
     * A stem with a clitic ("i'll", "we're", "john's", "didn't"), or null to look the word up
     * without its apostrophe (the dictionary lists "dont", "cant", "wont"). Clitics are spelled
     * out because the apostrophe-less forms often collide with other words ("ill", "wed", "shed").
     */
    private List<String> contraction(String stem, String clitic) {
        if (clitic.equals("t") && stem.endsWith("n")) {
            if (lexicon.listed(stem + clitic) != null) return null;
            return join(dictionaryForm(stem.substring(0, stem.length() - 1)), "ax", "n", "t");
        }
        List<String> base = dictionaryForm(stem);
        if (base.isEmpty()) return null;
        String last = base.getLast();
        boolean afterVowel = Arpabet.convert(last).vowel();
        return switch (clitic) {
            case "s" -> SIBILANTS.contains(last) ? join(base, "ih", "z") : VOICELESS.contains(last) ? join(base, "s")
                    : join(base, "z");
            case "ll" -> afterVowel ? join(base, "l") : join(base, "ax", "l");
            case "m" -> join(base, "m");
            case "re" -> afterVowel ? join(base, "r") : join(base, "er");
            case "ve" -> afterVowel ? join(base, "v") : join(base, "ax", "v");
            case "d" -> afterVowel ? join(base, "d") : join(base, "ih", "d");
            default -> null;
        };
    }

    private static List<String> join(List<String> base, String... more) {
        List<String> out = new ArrayList<>(base);
        out.addAll(List.of(more));
        return out;
    }

    /** A vowel-less word ("bbc", "nhs") read as its letters' names. */
    private List<String> spelled(String letters) {
        List<String> out = new ArrayList<>();
        for (char c : letters.toCharArray()) out.addAll(lexicon.pronounce(String.valueOf(c)));
        return out;
    }

    private boolean startsWithVowelSound(String word) {
        List<String> p = pronunciation(word);
        return !p.isEmpty() && Arpabet.convert(p.getFirst()).vowel();
    }

    private static boolean isMark(String token) {
        return token.length() == 1 && ",.?!".indexOf(token.charAt(0)) >= 0;
    }
}
