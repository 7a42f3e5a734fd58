package io.bv2j.tests;

import io.bv2j.io.SafeTensors;
import io.bv2j.io.Wav;
import io.bv2j.io.WavData;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `bv2j export` makes an inference-only voice (no enc_q, optionally float16) that synthesizes what
 * the checkpoint does, and `bv2j demo` speaks with the bundled voice.
 */
class ExportAndDemoTest {
    @TempDir
    Path tmp;

    @Test
    void exportedVoiceSynthesizesLikeItsCheckpoint() throws Exception {
        Path dev = GoldenFiles.golden().resolve("dev");
        Path config = dev.resolve("config.json"), g = dev.resolve("G_0.pth");
        Path full = tmp.resolve("voice.safetensors"), half = tmp.resolve("voice-half.safetensors");
        Cli a = Cli.run("export", g.toString(), "-o", full.toString());
        assertEquals(0, a.code(), a.err());
        Cli b = Cli.run("export", g.toString(), "-o", half.toString(), "--half");
        assertEquals(0, b.code(), b.err());
        assertTrue(b.out().contains("float16"), b.out());
        assertFalse(SafeTensors.read(full).tensors().keySet().stream().anyMatch(k -> k.startsWith("enc_q.")),
                "the posterior encoder is training-only and must not be exported");
        assertTrue(Files.size(half) < Files.size(full) * 0.6, "float16 export should be about half the size");

        Utterance u = SynthesizerConcurrencyTest.randomUtterance(new Random(11), 9, 9);
        SynthesisOptions o = SynthesisOptions.defaults().withSeed(7);
        float[] want, same, rounded;
        try (Synthesizer s = Synthesizer.load(config, g)) {
            want = s.synthesize(u, o).samples();
        }
        try (Synthesizer s = Synthesizer.load(config, full)) {
            same = s.synthesize(u, o).samples();
        }
        try (Synthesizer s = Synthesizer.load(config, half)) {
            rounded = s.synthesize(u, o).samples();
        }
        assertArrayEquals(want, same, "float32 export: the same weights, the same samples");
        assertEquals(want.length, rounded.length, "float16 weights must not change the durations here");
        double num = 0, den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (rounded[i] - want[i]) * (double) (rounded[i] - want[i]);
            den += want[i] * (double) want[i];
        }
        assertTrue(Math.sqrt(num / den) < 0.05, "float16 weights moved the waveform by rel L2 " + Math.sqrt(num / den));
    }

    @Test
    void exportRefusesAnOutputThatIsNotSafetensors() {
        Cli r = Cli.run("export", GoldenFiles.golden().resolve("dev/G_0.pth").toString(), "-o",
                tmp.resolve("voice.pth").toString());
        assertEquals(2, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void demoSpeaksAHeldOutSentenceWithTheBundledVoice() {
        Path out = tmp.resolve("demo.wav");
        Cli r = Cli.run("demo", "--out", out.toString(), "--sentence", "2");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("trained by bv2j"), r.out());
        WavData wav = Wav.read(out);
        double seconds = wav.samples().length / (double) wav.sampleRate();
        assertTrue(seconds > 0.5 && seconds < 10, "a sentence, not " + seconds + " s");
        Cli bad = Cli.run("demo", "--out", out.toString(), "--sentence", "99");
        assertEquals(2, bad.code());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }
}
