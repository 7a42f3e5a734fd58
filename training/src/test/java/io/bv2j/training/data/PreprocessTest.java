package io.bv2j.training.data;

import io.bv2j.Bv2jException;
import io.bv2j.io.ModelConfig;
import io.bv2j.io.Npy;
import io.bv2j.io.RawTensor;
import io.bv2j.io.Wav;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreprocessTest {

    /** Writes a dataset with one or more problems on most lines; returns the filelist. */
    static Path brokenDataset(Path dir) throws Exception {
        Fixtures.wav(dir, "a.wav", 8000, Fixtures.SR);
        Fixtures.wav(dir, "b.wav", 8000, 22050);
        Fixtures.wav(dir, "c.wav", 8000, Fixtures.SR);
        Wav.write(dir.resolve("d.wav"), Fixtures.tone(8000, 300), Fixtures.SR, true);
        Fixtures.wav(dir, "e.wav", 8000, Fixtures.SR);
        Fixtures.wav(dir, "f.wav", 8000, Fixtures.SR);
        Npy.write(dir.resolve("f.bert.npy"), RawTensor.ofFloats(new long[] {768, 5}, new float[768 * 5]));
        Fixtures.wav(dir, "g.wav", 8000, Fixtures.SR);
        Fixtures.torchSave(dir.resolve("g.bert.pt"), new float[1024 * 7], 1024, 7);
        Fixtures.wav(dir, "h.wav", 1500, Fixtures.SR);
        List<String> lines = new ArrayList<>();
        lines.add(Fixtures.enLine("a.wav", "alice"));                                  // 1 fine
        lines.add(Fixtures.enLine("b.wav", "alice"));                                  // 2 22.05 kHz
        lines.add("c.wav|alice|EN|hello|hh xx l ow zz|0 1 0 2 0|1 1 1 1 1");           // 3 two unknown symbols
        lines.add(Fixtures.enLine("nothere.wav", "carol"));                            // 4 missing wav + speaker
        lines.add("a.wav|alice|EN|hello|hh ah l ow|0 1 0|1 1 1 1");                    // 5 3 tones, 4 phones
        lines.add("a.wav|alice|EN|hello|hh ah l ow|0 1 0 2|1 1");                      // 6 word2ph sums to 2
        lines.add(Fixtures.enLine("d.wav", "bob"));                                    // 7 float wav
        lines.add("e.wav|bob|ZH|ni|_ n i _|0 0 3 0|1 2 1");                            // 8 no BERT file
        lines.add("f.wav|bob|JP|ka|_ k a _|0 0 0 0|1 2 1");                            // 9 BERT [768, 5], wants 9
        lines.add("g.wav|bob|ZH|a|_ a _|0 1 0|1 1 1");                                 // 10 fine, .bert.pt [1024, 7]
        lines.add("a.wav|alice|EN|long|" + "hh ".repeat(120) + "ah|" + "0 ".repeat(120) + "1|"
                + "1 ".repeat(120) + "1");                                              // 11 > 300 characters
        lines.add(Fixtures.enLine("h.wav", "alice"));                                  // 12 23 frames: unsampled
        lines.add("a.wav|alice|EN|hello|hh ah l ow|0 5 0 2|1 1 1 1");                  // 13 EN tone 5
        lines.add("a.wav|alice|EN");                                                   // 14 malformed
        lines.add("a.wav|alice|FR|bonjour|b|0|1");                                     // 15 unknown language
        lines.add("a.wav|alice|EN|hello|hh ah l ow|0 x 0 2|1 1 1 1");                  // 16 tone not an int
        Path list = dir.resolve("filelists/train.list");
        Fixtures.write(list, lines);
        return list;
    }

    @Test
    void reportsEveryProblemOfEveryLineAtOnce(@TempDir Path dir) throws Exception {
        Path list = brokenDataset(dir);
        PreprocessReport r = Preprocess.validate(Fixtures.config(true, 2), list, dir);
        Map<Integer, List<Problem.Kind>> byLine = new TreeMap<>();
        for (Problem p : r.problems()) {
            byLine.computeIfAbsent(p.line(), k -> new ArrayList<>()).add(p.kind());
        }
        assertEquals(List.of(Problem.Kind.WRONG_SAMPLE_RATE), byLine.get(2));
        assertEquals(List.of(Problem.Kind.UNKNOWN_SYMBOL), byLine.get(3));
        assertEquals(List.of(Problem.Kind.UNKNOWN_SPEAKER, Problem.Kind.MISSING_WAV), byLine.get(4));
        assertEquals(List.of(Problem.Kind.TONE_COUNT), byLine.get(5));
        assertEquals(List.of(Problem.Kind.WORD2PH), byLine.get(6));
        assertEquals(List.of(Problem.Kind.NOT_PCM16), byLine.get(7));
        assertEquals(List.of(Problem.Kind.BERT_MISSING), byLine.get(8));
        assertEquals(List.of(Problem.Kind.BERT_SHAPE), byLine.get(9));
        assertEquals(List.of(Problem.Kind.TEXT_LENGTH), byLine.get(11));
        assertEquals(List.of(Problem.Kind.NOT_SAMPLED), byLine.get(12));
        assertEquals(List.of(Problem.Kind.TONE_RANGE), byLine.get(13));
        assertEquals(List.of(Problem.Kind.MALFORMED_LINE), byLine.get(14));
        assertEquals(List.of(Problem.Kind.UNKNOWN_LANGUAGE), byLine.get(15));
        assertEquals(List.of(Problem.Kind.MALFORMED_LINE), byLine.get(16));
        assertEquals(null, byLine.get(1));
        assertEquals(null, byLine.get(10));

        assertEquals(16, r.lines() + 1, "the malformed line is counted as a problem, not a line");
        assertEquals(List.of(1, 10, 12), r.entries().stream().map(DataEntry::line).toList());
        assertEquals(1, r.skippedByLength());
        assertEquals(1, r.notSampled());
        assertEquals(13, r.errors().size());
        assertEquals(2, r.warnings().size());
        assertEquals((8000 + 8000 + 1500) / 16000.0, r.audioSeconds(), 1e-9);

        Problem rate = r.problems(Problem.Kind.WRONG_SAMPLE_RATE).getFirst();
        assertEquals("b.wav", rate.file());
        assertTrue(rate.message().contains("22050") && rate.message().contains("16000"), rate.message());
        assertTrue(rate.toString().startsWith("train.list:2: b.wav: "), rate.toString());
        String symbols = r.problems(Problem.Kind.UNKNOWN_SYMBOL).getFirst().message();
        assertTrue(symbols.contains("'xx' (phone 2)") && symbols.contains("'zz' (phone 5)"), symbols);
        assertTrue(r.problems(Problem.Kind.BERT_SHAPE).getFirst().message().contains("[768, 9]"));
        assertTrue(r.summary().contains("3 usable"), r.summary());
    }

    @Test
    void trainingDataRefusesABrokenListNamingManyProblems(@TempDir Path dir) throws Exception {
        Path list = brokenDataset(dir);
        Bv2jException e = assertThrows(Bv2jException.class,
                () -> TrainingData.load(Fixtures.config(true, 2), list, dir));
        assertTrue(e.getMessage().contains("13 problems"), e.getMessage());
        assertTrue(e.getMessage().contains("train.list:3:") && e.getMessage().contains("train.list:9:"), e.getMessage());
    }

    @Test
    void textLengthFilterCountsCharactersOfThePhonesField(@TempDir Path dir) throws Exception {
        Fixtures.wav(dir, "a.wav", 8000, Fixtures.SR);
        Path list = dir.resolve("l.list");
        // 100 phones "ah" joined by spaces = 299 characters: kept; 101 = 302 characters: skipped
        Fixtures.write(list, List.of(
                "a.wav|alice|EN|x|" + String.join(" ", java.util.Collections.nCopies(100, "ah")) + "|"
                        + String.join(" ", java.util.Collections.nCopies(100, "1")) + "|"
                        + String.join(" ", java.util.Collections.nCopies(100, "1")),
                "a.wav|alice|EN|x|" + String.join(" ", java.util.Collections.nCopies(101, "ah")) + "|"
                        + String.join(" ", java.util.Collections.nCopies(101, "1")) + "|"
                        + String.join(" ", java.util.Collections.nCopies(101, "1"))));
        ModelConfig cfg = Fixtures.config(true, 2);
        PreprocessReport r = Preprocess.validate(cfg, list, dir);
        assertEquals(List.of(1), r.entries().stream().map(DataEntry::line).toList());
        assertEquals(1, r.skippedByLength());
        assertEquals(201, r.entries().getFirst().sequence().length());
        // data.max_text_len in the config overrides the default
        String json = Fixtures.configJson(true, 2, Fixtures.HOP, false).replace("\"cleaned_text\": true",
                "\"cleaned_text\": true, \"max_text_len\": 400");
        PreprocessReport r2 = Preprocess.validate(ModelConfig.parse(json, "c.json"), list, dir);
        assertEquals(2, r2.entries().size());
    }

    @Test
    void runReportsProgressAndCachesSpectrograms(@TempDir Path dir) throws Exception {
        Fixtures.wav(dir, "a.wav", 8000, Fixtures.SR);
        Fixtures.wav(dir, "b.wav", 9000, Fixtures.SR);
        Path list = dir.resolve("l.list");
        Fixtures.write(list, List.of(Fixtures.enLine("a.wav", "alice"), Fixtures.enLine("b.wav", "bob")));
        List<String> progress = new ArrayList<>();
        PreprocessReport r = Preprocess.run(Fixtures.config(true, 2), list, dir,
                (done, total, wav) -> progress.add(done + "/" + total + " " + wav));
        assertEquals(List.of("1/2 a.wav", "2/2 b.wav"), progress);
        assertEquals(2, r.specsComputed());
        assertEquals(0, r.specsReused());
        assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("a.spec.safetensors")));
        PreprocessReport again = Preprocess.run(Fixtures.config(true, 2), list, dir, Preprocess.Progress.NONE);
        assertEquals(0, again.specsComputed());
        assertEquals(2, again.specsReused());
    }
}
