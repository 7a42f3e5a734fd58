package io.bv2j.tests;

import io.bv2j.io.Json;
import io.bv2j.io.Wav;
import io.bv2j.io.WavData;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SayOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.text.TextFrontEnd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text to speech with the bundled demo voice: `bv2j say`, `bv2j g2p`, Synthesizer.say and text in synth requests. */
class SayTest {
    @TempDir
    static Path tmp;
    static Path config, voice;

    @BeforeAll
    static void bundledVoice() throws IOException {
        config = tmp.resolve("config.json");
        voice = tmp.resolve("voice.safetensors");
        for (Path p : List.of(config, voice)) {
            try (InputStream in = SayTest.class.getResourceAsStream("/io/bv2j/cli/demo/" + p.getFileName())) {
                Files.write(p, in.readAllBytes());
            }
        }
    }

    @Test
    void sayWritesTheSentencesJoinedByPauses() {
        Path one = tmp.resolve("one.wav"), two = tmp.resolve("two.wav");
        Cli a = Cli.run("say", "The garden is green.", "--out", one.toString());
        assertEquals(0, a.code(), a.err());
        assertTrue(a.out().startsWith("wrote "), a.out());
        Cli b = Cli.run("say", "The garden is green. The door is open.", "--pause", "0.5", "--out", two.toString());
        assertEquals(0, b.code(), b.err());
        WavData w1 = Wav.read(one), w2 = Wav.read(two);
        assertEquals(16000, w1.sampleRate());
        double s1 = w1.samples().length / 16000.0, s2 = w2.samples().length / 16000.0;
        assertTrue(s1 > 0.6 && s1 < 4, "one short sentence: " + s1 + " s");
        assertTrue(s2 > s1 + 0.5 + 0.4, "two sentences and a 0.5 s pause: " + s2 + " s vs " + s1);
        float[] head = java.util.Arrays.copyOf(w2.samples(), w1.samples().length);
        assertArrayEquals(w1.samples(), head, 1e-3f, "the first sentence is synthesized on its own, the same way");
    }

    @Test
    void streamedSayEqualsSayAndIsHandedOverSentenceBySentence() {
        SayOptions o = SayOptions.defaults().withLanguage("EN").withSpeaker("demo").withSynthesis(
                io.bv2j.synth.SynthesisOptions.defaults().withSeed(3));
        String text = "We bought fresh fish. It was very good!";
        try (Synthesizer s = Synthesizer.load(config, voice)) {
            Audio whole = s.say(text, o);
            List<float[]> chunks = new ArrayList<>();
            s.say(text, o, 16, chunks::add);
            assertTrue(chunks.size() >= 3, "chunks of two sentences and a pause: " + chunks.size());
            int n = chunks.stream().mapToInt(c -> c.length).sum();
            float[] joined = new float[n];
            int at = 0;
            for (float[] c : chunks) {
                System.arraycopy(c, 0, joined, at, c.length);
                at += c.length;
            }
            assertArrayEquals(whole.samples(), joined, 1e-4f);
        }
    }

    @Test
    void streamingWavHeaderHasOpenEndedSizes() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Wav.writeStreamingHeader(out, 16000, false);
        ByteBuffer h = ByteBuffer.wrap(out.toByteArray()).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(44, h.limit());
        assertEquals(0xFFFFFFFF, h.getInt(4));
        assertEquals(16000, h.getInt(24));
        assertEquals(0xFFFFFFFF, h.getInt(40));
    }

    @Test
    void g2pPrintsPhonesTonesAndWord2phPerSentence() {
        Cli c = Cli.run("g2p", "Good morning. How are you?");
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().contains("sentence 1 (EN): Good morning."), c.out());
        assertTrue(c.out().contains("sentence 2 (EN): How are you?"), c.out());
        assertTrue(c.out().contains("phones:     g uh d m ao r n ih ng ."), c.out());
        assertTrue(c.out().contains("word2ph:    3 6 1"), c.out());
    }

    @Test
    void synthRequestsTakeTextInsteadOfPhones() throws IOException {
        Path req = tmp.resolve("req.json"), out = tmp.resolve("req-out");
        Files.writeString(req, Json.write(Map.of("utterances", List.of(
                Map.of("speaker", "demo", "text", "Please close the door."),
                Map.of("speaker", "demo", "text", "Thank you!", "language", "EN")))));
        Cli c = Cli.run("synth", "--config", config.toString(), "--checkpoint", voice.toString(), "--input", req.toString(),
                "--out", out.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(Files.exists(out.resolve("000.wav")) && Files.exists(out.resolve("001.wav")));

        Files.writeString(req, Json.write(Map.of("utterances", List.of(
                Map.of("text", "Hello.", "phones", List.of("_"), "tones", List.of(0), "languages", List.of(2))))));
        Cli mixed = Cli.run("synth", "--config", config.toString(), "--checkpoint", voice.toString(), "--input",
                req.toString(), "--out", out.toString());
        assertBadInput(mixed, "give either 'text' or phones");
    }

    @Test
    void badTextIsOneLineAndExitCode2() {
        Path out = tmp.resolve("bad.wav");
        assertBadInput(Cli.run("say", "", "--out", out.toString()), "the text is empty");
        assertBadInput(Cli.run("say", "?! ...", "--out", out.toString()), "nothing pronounceable");
        Cli unknown = Cli.run("say", "Привет 😀", "--out", out.toString());
        assertBadInput(unknown, "nothing pronounceable");
        assertTrue(unknown.err().contains("note: dropped characters"), unknown.err());
        assertBadInput(Cli.run("say", "x".repeat(TextFrontEnd.MAX_CHARS + 1), "--out", out.toString()),
                "above the limit of " + TextFrontEnd.MAX_CHARS);
        assertBadInput(Cli.run("say", "Hello.", "--bert", tmp.resolve("missing-bert").toString(), "--out", out.toString()),
                "missing-bert");
        assertBadInput(Cli.run("say", "Hello.", "--language", "FR", "--out", out.toString()), "unknown language 'FR'");
        assertBadInput(Cli.run("say", "Hello.", "--config", config.toString(), "--out", out.toString()),
                "give --config and --model together");
        assertBadInput(Cli.run("say", "Hello."), "give exactly one of --out and --stream");
        assertBadInput(Cli.run("g2p", "   "), "the text is empty");
        assertFalse(Files.exists(out), "no audio is written for bad input");
    }

    private static void assertBadInput(Cli c, String message) {
        assertEquals(2, c.code(), c.err());
        List<String> errors = c.err().lines().filter(l -> !l.startsWith("note: ")).toList();
        assertEquals(1, errors.size(), c.err());
        assertTrue(errors.getFirst().startsWith("bv2j: error: ") && errors.getFirst().contains(message), c.err());
    }
}
