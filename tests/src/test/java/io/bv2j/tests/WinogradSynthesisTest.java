package io.bv2j.tests;

import io.bv2j.io.ModelConfig;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole synthesis with Winograd convolutions equals the im2col path within the module tolerance.
 * The demo configuration's decoder (16..64 channels, kernels 7 and 11, thousands of samples)
 * takes the Winograd path, which the golden dev model's is too small to reach; the outputs must
 * also differ in the last bits, proving the switch changed the algorithm.
 */
class WinogradSynthesisTest {
    @Test
    void winogradAndIm2colSynthesiseTheSameWaveform() {
        ModelConfig config = ModelConfig.read(Path.of("..", "demo-corpus", "config.json"));
        boolean saved = NativeContext.winograd();
        try (Synthesizer synth = Synthesizer.random(config, 7)) {
            Utterance u = utterance(41, 5);
            SynthesisOptions o = SynthesisOptions.defaults().withSeed(3);
            NativeContext.setWinograd(false);
            float[] im2col = synth.synthesize(u, o).samples();
            NativeContext.setWinograd(true);
            float[] winograd = synth.synthesize(u, o).samples();
            assertTrue(im2col.length > 4096, "the utterance reaches the Winograd sizes");
            assertFalse(Arrays.equals(im2col, winograd), "Winograd was not used");
            Waveforms.assertClose(im2col, winograd, 1e-5, "Winograd vs im2col");
        } finally {
            NativeContext.setWinograd(saved);
        }
    }

    static Utterance utterance(int n, long seed) {
        return Waveforms.randomUtterance("demo", n, seed);
    }
}
