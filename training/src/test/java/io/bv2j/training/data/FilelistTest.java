package io.bv2j.training.data;

import io.bv2j.text.TextIds;
import io.bv2j.io.ModelConfig;
import io.bv2j.text.Symbols;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilelistTest {

    private final Symbols symbols = Symbols.standard();

    @Test
    void readsSevenFieldsSkipsBlankLinesAndReportsMalformedOnes(@TempDir Path dir) throws Exception {
        Path list = dir.resolve("train.list");
        Fixtures.write(list, List.of("\uFEFF  a.wav|alice|EN|hi there|hh ay|0 2|1 1  ", "", "b.wav|alice|EN|too few|x",
                "c.wav|bob|ZH|t|_ a _|0 1 0|1 1 1"));
        List<Problem> problems = new ArrayList<>();
        List<Filelist.Line> lines = Filelist.read(list, problems::add);
        assertEquals(1, problems.size());
        assertEquals(3, problems.getFirst().line());
        assertEquals(Problem.Kind.MALFORMED_LINE, problems.getFirst().kind());
        assertEquals(2, lines.size());
        assertEquals(4, lines.get(1).number(), "line numbers count blank lines");
        Filelist.Line l = lines.getFirst();
        assertEquals(1, l.number());
        assertEquals("a.wav", l.wav());
        assertEquals("hh ay", l.phones());
        assertEquals("1 1", l.word2ph(), "the line is stripped like Python's line.strip()");
    }

    @Test
    void englishIdsUseToneOffsetSevenAndLanguageTwo() {
        TextIds.Sequence s = TextIds.of(List.of("hh", "ah", "l", "ow", "."), new int[] {0, 1, 0, 2, 0}, "EN", false,
                symbols);
        assertArrayEquals(new int[] {symbols.id("hh"), symbols.id("ah"), symbols.id("l"), symbols.id("ow"),
                symbols.id(".")}, s.phones());
        assertArrayEquals(new int[] {7, 8, 7, 9, 7}, s.tones());
        assertArrayEquals(new int[] {2, 2, 2, 2, 2}, s.languages());
    }

    @Test
    void toneOffsetsPerLanguage() {
        assertArrayEquals(new int[] {0, 5}, TextIds.of(List.of("a", "b"), new int[] {0, 5}, "ZH", false, symbols).tones());
        assertArrayEquals(new int[] {6, 6}, TextIds.of(List.of("a", "k"), new int[] {0, 0}, "JP", false, symbols).tones());
        assertArrayEquals(new int[] {1, 1}, TextIds.of(List.of("a", "k"), new int[] {0, 0}, "JP", false, symbols)
                .languages());
        assertEquals(6, TextIds.localToneCount("ZH", symbols));
        assertEquals(1, TextIds.localToneCount("JP", symbols));
        assertEquals(4, TextIds.localToneCount("EN", symbols));
    }

    @Test
    void addBlankIntersperseZerosIntoAllThreeSequences() {
        TextIds.Sequence s = TextIds.of(List.of("hh", "ah"), new int[] {0, 2}, "EN", true, symbols);
        int h = symbols.id("hh");
        int a = symbols.id("ah");
        assertArrayEquals(new int[] {0, h, 0, a, 0}, s.phones());
        assertArrayEquals(new int[] {0, 7, 0, 9, 0}, s.tones());
        assertArrayEquals(new int[] {0, 2, 0, 2, 0}, s.languages());
        assertArrayEquals(new int[] {0}, TextIds.intersperse(new int[0], 0));
    }

    @Test
    void word2phDoublesAndTheFirstGetsTheLeadingBlank() {
        int[] w = {1, 3, 2};
        int[] b = TextIds.blankWord2ph(w);
        assertArrayEquals(new int[] {3, 6, 4}, b);
        assertEquals(2 * 6 + 1, b[0] + b[1] + b[2], "sums to the phone count after blanks");
        assertArrayEquals(new int[] {1, 3, 2}, w, "input untouched");
    }

    @Test
    void preprocessedEntriesCarryBlankedIdsAndSpeakerIds(@TempDir Path dir) throws Exception {
        Fixtures.wav(dir, "a.wav", 4000, Fixtures.SR);
        Path list = dir.resolve("l.list");
        Fixtures.write(list, List.of(Fixtures.enLine("a.wav", "bob")));
        for (boolean blank : new boolean[] {true, false}) {
            ModelConfig cfg = Fixtures.config(blank, 2);
            PreprocessReport r = Preprocess.validate(cfg, list, dir);
            assertFalse(r.hasErrors(), r::toString);
            DataEntry e = r.entries().getFirst();
            assertEquals(1, e.sid());
            assertEquals(blank ? 9 : 4, e.sequence().length());
            assertEquals((4000 * 2 + 44) / (2 * 64), e.length(), "file size (with header) // (2 · hop)");
            assertTrue(e.bertFile() == null, "EN needs no BERT file");
        }
    }
}
