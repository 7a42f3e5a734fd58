package io.bv2j.tests;

import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streaming synthesis concatenates to the whole-utterance waveform (relative L2 ≤ 1e-6), for any chunk size. */
class StreamingSynthesisTest {
    @ParameterizedTest
    @ValueSource(ints = {5, 64, 100000})
    void chunksConcatenateToTheWholeUtterance(int chunkFrames) {
        Path dev = GoldenFiles.golden().resolve("dev");
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            Utterance u = utterance(61, 3);
            SynthesisOptions o = SynthesisOptions.defaults().withLengthScale(1.5f).withSeed(11);
            float[] whole = synth.synthesize(u, o).samples();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int[] chunks = {0};
            synth.stream(u, o, chunkFrames, samples -> {
                chunks[0]++;
                ByteBuffer b = ByteBuffer.allocate(samples.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float s : samples) b.putFloat(s);
                bytes.writeBytes(b.array());
            });
            float[] streamed = new float[bytes.size() / 4];
            ByteBuffer.wrap(bytes.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(streamed);
            Waveforms.assertClose(whole, streamed, 1e-6, chunks[0] + " chunks");
            int frames = whole.length / synth.hop();
            // a short first chunk (at most FIRST_STREAM_CHUNK_FRAMES), then chunks of chunkFrames
            int first = Math.min(chunkFrames, Synthesizer.FIRST_STREAM_CHUNK_FRAMES);
            int expected = frames <= first ? 1 : 1 + (frames - first + chunkFrames - 1) / chunkFrames;
            assertEquals(expected, chunks[0], "chunks emitted");
        }
    }

    /** A long utterance's chunks decoded side by side on two workers give the samples of one decode. */
    @Test
    void longUtteranceChunksSideBySideMatchOneDecode() {
        Path dev = GoldenFiles.golden().resolve("dev");
        int saved = NativeContext.threads();
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            NativeContext.setThreads(2);
            Utterance u = utterance(200, 5);
            SynthesisOptions o = SynthesisOptions.defaults().withLengthScale(6f).withSeed(13);
            float[] sideBySide = synth.synthesize(u, o).samples();
            assertTrue(sideBySide.length / synth.hop() > 2 * 128 + 512, "long enough for several chunk pairs");
            List<float[]> parts = new ArrayList<>();
            synth.stream(u, o, 100000, parts::add); // a 16-frame first chunk, then the rest in one decode
            float[] once = new float[sideBySide.length];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, once, at, p.length);
                at += p.length;
            }
            assertEquals(sideBySide.length, at);
            Waveforms.assertClose(once, sideBySide, 1e-6, "side-by-side chunks");
        } finally {
            NativeContext.setThreads(saved);
        }
    }

    static Utterance utterance(int n, long seed) {
        return Waveforms.randomUtterance("carol", n, seed);
    }
}
