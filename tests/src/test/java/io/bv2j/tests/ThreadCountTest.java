package io.bv2j.tests;

import io.bv2j.io.ModelConfig;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;


/**
 * The waveform does not depend on the thread count beyond float rounding (relative L2 <= 1e-6,
 * like streaming): GEMM splits never split a reduction, but OpenBLAS picks different micro-kernels
 * for different slice widths, so the last bit may move; the decoder's residual blocks run on
 * single-threaded workers at two or more threads.
 */
class ThreadCountTest {
    @Test
    void oneTwoAndThreeThreadsGiveTheSameSamples() {
        Path dev = GoldenFiles.golden().resolve("dev");
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            assertSameAtOneTwoThreeThreads(synth, StreamingSynthesisTest.utterance(81, 9),
                    SynthesisOptions.defaults().withLengthScale(2f).withSeed(5));
        }
    }

    /** The demo configuration's decoder stages are long enough to be cut into one time slice per worker. */
    @Test
    void timeSlicedDecoderStagesMatchOneThread() {
        ModelConfig config = ModelConfig.read(Path.of("..", "demo-corpus", "config.json"));
        try (Synthesizer synth = Synthesizer.random(config, 11)) {
            assertSameAtOneTwoThreeThreads(synth, WinogradSynthesisTest.utterance(57, 4),
                    SynthesisOptions.defaults().withSeed(2));
        }
    }

    private static void assertSameAtOneTwoThreeThreads(Synthesizer synth, Utterance u, SynthesisOptions o) {
        int saved = NativeContext.threads();
        try {
            NativeContext.setThreads(1);
            float[] one = synth.synthesize(u, o).samples();
            for (int threads : new int[]{2, 3}) {
                NativeContext.setThreads(threads);
                Waveforms.assertClose(one, synth.synthesize(u, o).samples(), 1e-6, "1 vs " + threads + " threads");
            }
        } finally {
            NativeContext.setThreads(saved);
        }
    }
}
