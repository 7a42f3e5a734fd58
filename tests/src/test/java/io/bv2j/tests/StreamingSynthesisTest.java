package io.bv2j.tests;

import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.SplittableRandom;

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
            assertEquals(whole.length, streamed.length, "sample count");
            double diff = 0, norm = 0;
            for (int i = 0; i < whole.length; i++) {
                diff += (double) (whole[i] - streamed[i]) * (whole[i] - streamed[i]);
                norm += (double) whole[i] * whole[i];
            }
            assertTrue(Math.sqrt(diff / norm) <= 1e-6, "relative L2 " + Math.sqrt(diff / norm) + " with " + chunks[0] + " chunks");
            int frames = whole.length / synth.hop();
            // a short first chunk (at most FIRST_STREAM_CHUNK_FRAMES), then chunks of chunkFrames
            int first = Math.min(chunkFrames, Synthesizer.FIRST_STREAM_CHUNK_FRAMES);
            int expected = frames <= first ? 1 : 1 + (frames - first + chunkFrames - 1) / chunkFrames;
            assertEquals(expected, chunks[0], "chunks emitted");
        }
    }

    static Utterance utterance(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] phones = new int[n], tones = new int[n], langs = new int[n];
        for (int i = 0; i < n; i++) {
            boolean blank = i % 2 == 0;
            phones[i] = blank ? 0 : r.nextInt(1, 112);
            tones[i] = blank ? 0 : r.nextInt(11);
            langs[i] = blank ? 0 : r.nextInt(3);
        }
        return Utterance.of("carol", phones, tones, langs);
    }
}
