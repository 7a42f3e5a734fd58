package io.bv2j.text;

import io.bv2j.Bv2jException;
import io.bv2j.synth.SayOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.TextInput;
import io.bv2j.synth.Utterance;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextFrontEndTest {
    private final List<String> notes = new ArrayList<>();
    private final TextFrontEnd frontEnd = new TextFrontEnd(null, null, notes::add);

    @Test
    void splitsOnSentencePunctuationButNotInsideNumbersOrAfterAbbreviations() {
        SentenceSplitter s = new SentenceSplitter(io.bv2j.text.en.EnglishG2p::isAbbreviation);
        assertEquals(List.of("Mr. Smith paid 3.50 dollars.", "Was it worth it?!", "Yes…", "\"Truly.\"", "Room no. 5 is free.",
                        "I said no.", "New line"),
                s.split("Mr. Smith paid 3.50 dollars. Was it worth it?! Yes… \"Truly.\" Room no. 5 is free. I said no.\nNew line"));
        assertEquals(List.of("你好。", "今天天气很好！", "对吗？"), s.split("你好。今天天气很好！对吗？"));
    }

    @Test
    void autoLanguageIsChosenPerSentenceByScript() {
        assertEquals(Language.EN, Scripts.languageOf("Hello there.", false));
        assertEquals(Language.ZH, Scripts.languageOf("你好。", false));
        assertEquals(Language.JP, Scripts.languageOf("こんにちは。", false));
        assertEquals(Language.JP, Scripts.languageOf("カタカナ", false));
        assertEquals(Language.JP, Scripts.languageOf("日本語。", true), "kanji-only sentence of a Japanese text");
        assertEquals(Language.ZH, Scripts.languageOf("日本語。", false));
        List<Sentence> s = frontEnd.sentences("Hello there. How are you?", null);
        assertEquals(2, s.size());
        assertEquals(Language.EN, s.get(1).language());
        assertEquals("how are you?", s.get(1).phonemes().normText());
    }

    @Test
    void englishUtteranceHasBlanksLanguageAndToneOffsetsAndNoBert() {
        Sentence s = frontEnd.single("Good morning.", Language.EN);
        int n = s.phonemes().phones().size();
        Utterance u = frontEnd.utterance(s, "demo", true, "sentence 1");
        assertEquals(2 * n + 1, u.length());
        Symbols sym = Symbols.standard();
        for (int i = 0; i < u.length(); i++) {
            if (i % 2 == 0) {
                assertEquals(0, u.phones()[i], "blank");
            } else {
                assertEquals(sym.id(s.phonemes().phones().get(i / 2)), u.phones()[i]);
                assertEquals(2, u.languages()[i], "EN language id");
                assertEquals(7 + s.phonemes().tones()[i / 2], u.tones()[i], "EN tones start at 7");
            }
        }
        assertNull(u.bert());
        assertNull(u.jaBert());
        assertEquals(n, frontEnd.utterance(s, null, false, "sentence 1").length(), "no blanks when the config has none");
    }

    @Test
    void unknownCharactersAreDroppedWithANote() {
        List<Sentence> s = frontEnd.sentences("Hello 😀 wörld Привет!", Language.EN);
        assertEquals("hello world!", s.getFirst().phonemes().normText());
        assertEquals(1, notes.size());
        assertTrue(notes.getFirst().startsWith("note: dropped characters no front-end reads:"), notes.getFirst());
        assertTrue(notes.getFirst().contains("😀") && notes.getFirst().contains("П"), notes.getFirst());
    }

    @Test
    void badTextIsOneLineError() {
        assertEquals("the text is empty", assertThrows(Bv2jException.class, () -> frontEnd.sentences("  \n", null)).getMessage());
        assertEquals("nothing pronounceable in the text",
                assertThrows(Bv2jException.class, () -> frontEnd.sentences("?! … --", null)).getMessage());
        assertEquals("nothing pronounceable in the text",
                assertThrows(Bv2jException.class, () -> frontEnd.sentences("Привет", null)).getMessage());
        String tooLong = "word ".repeat(TextFrontEnd.MAX_CHARS / 5 + 1);
        assertTrue(assertThrows(Bv2jException.class, () -> frontEnd.sentences(tooLong, null)).getMessage()
                .contains("above the limit of " + TextFrontEnd.MAX_CHARS));
        String longSentence = "banana ".repeat(400) + "end.";
        Bv2jException e = assertThrows(Bv2jException.class, () -> frontEnd.utterances(longSentence, null, null, true));
        assertTrue(e.getMessage().startsWith("sentence 1 has ") && e.getMessage().contains("limit of " + Synthesizer.MAX_PHONES),
                e.getMessage());
        assertTrue(assertThrows(Bv2jException.class, () -> TextFrontEnd.parseLanguage("FR")).getMessage()
                .startsWith("unknown language 'FR'"));
        for (Bv2jException x : List.of(e)) assertTrue(!x.getMessage().contains("\n"));
    }

    @Test
    void theTextModuleIsTheModelsTextInput() {
        assertInstanceOf(TextFrontEndInput.class, TextInput.provider());
        Bv2jException e = assertThrows(Bv2jException.class, () -> TextInput.provider().sentences("Hi.",
                SayOptions.defaults().withBert(Path.of("no-such-bert-folder")), null));
        assertTrue(e.getMessage().contains("no-such-bert-folder"), e.getMessage());
    }
}
