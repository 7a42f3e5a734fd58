package io.bv2j.tests;

import io.bv2j.Bv2jException;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.Audio;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** synthesizeAll: every utterance as a single synthesize call gives it, in the order given, run side by side. */
class SynthesizeAllTest {
    @Test
    void equalsOneCallPerUtteranceInOrder() {
        Path dev = GoldenFiles.golden().resolve("dev");
        int saved = NativeContext.threads();
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            NativeContext.setThreads(2);
            SynthesisOptions o = SynthesisOptions.defaults().withSeed(8);
            List<Utterance> us = new ArrayList<>();
            for (int i = 0; i < 5; i++) us.add(StreamingSynthesisTest.utterance(11 + 14 * i, 20 + i));
            List<Audio> all = synth.synthesizeAll(us, o);
            assertEquals(us.size(), all.size());
            for (int i = 0; i < us.size(); i++) {
                Waveforms.assertClose(synth.synthesize(us.get(i), o).samples(), all.get(i).samples(), 1e-6,
                        "utterance " + i);
            }
            assertThrows(Bv2jException.class, () -> synth.synthesizeAll(List.of(), o));
        } finally {
            NativeContext.setThreads(saved);
        }
    }
}
