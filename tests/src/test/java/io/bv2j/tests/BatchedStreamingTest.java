package io.bv2j.tests;

import io.bv2j.model.RowSeededNoise;
import io.bv2j.nativelib.NativeContext;
import io.bv2j.synth.SynthesisOptions;
import io.bv2j.synth.Synthesizer;
import io.bv2j.synth.Utterance;
import io.bv2j.testing.GoldenFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a batching server relies on: utterances of different lengths padded into one batch
 * (Synthesizer.streamEach with RowSeededNoise) each get the samples they get alone, and one
 * listener leaving stops only its own item.
 */
class BatchedStreamingTest {
    private static final SynthesisOptions OPTIONS = SynthesisOptions.defaults().withLengthScale(1.5f);

    @Test
    void eachItemOfAPaddedBatchSoundsAsItDoesAlone() {
        Path dev = GoldenFiles.golden().resolve("dev");
        int saved = NativeContext.threads();
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            NativeContext.setThreads(2); // items decode side by side on two workers
            List<Utterance> us = List.of(StreamingSynthesisTest.utterance(61, 3), StreamingSynthesisTest.utterance(17, 4),
                    StreamingSynthesisTest.utterance(95, 5));
            long[] seeds = {11, 12, 13};
            List<List<float[]>> got = new ArrayList<>();
            List<Consumer<float[]>> sinks = new ArrayList<>();
            for (int i = 0; i < us.size(); i++) {
                List<float[]> parts = new ArrayList<>();
                got.add(parts);
                sinks.add(parts::add);
            }
            synth.streamEach(us, OPTIONS.withNoise(() -> new RowSeededNoise(seeds)), 64, sinks);
            for (int i = 0; i < us.size(); i++) {
                long seed = seeds[i];
                float[] alone = synth.synthesize(us.get(i), OPTIONS.withNoise(() -> new RowSeededNoise(seed))).samples();
                Waveforms.assertClose(alone, concat(got.get(i)), 1e-5, "item " + i);
            }
            // the seeds matter: a different one gives different audio
            float[] other = synth.synthesize(us.get(0), OPTIONS.withNoise(() -> new RowSeededNoise(99))).samples();
            float[] first = concat(got.get(0));
            assertTrue(other.length != first.length || !java.util.Arrays.equals(other, first), "another seed, other audio");
        } finally {
            NativeContext.setThreads(saved);
        }
    }

    @Test
    void aSinkThatCancelsStopsOnlyItsItem() {
        Path dev = GoldenFiles.golden().resolve("dev");
        try (Synthesizer synth = Synthesizer.load(dev.resolve("config.json"), dev.resolve("G_0.pth"))) {
            List<Utterance> us = List.of(StreamingSynthesisTest.utterance(81, 6), StreamingSynthesisTest.utterance(81, 7));
            int[] calls = {0, 0};
            List<Consumer<float[]>> sinks = List.of(samples -> {
                calls[0]++;
                throw new CancellationException("listener left");
            }, samples -> calls[1]++);
            synth.streamEach(us, OPTIONS.withNoise(() -> new RowSeededNoise(1, 2)), 5, sinks);
            assertEquals(1, calls[0], "the cancelled item stops after its first chunk");
            assertTrue(calls[1] > 3, "the other item streams all its chunks: " + calls[1]);
        }
    }

    private static float[] concat(List<float[]> parts) {
        int n = 0;
        for (float[] p : parts) n += p.length;
        float[] all = new float[n];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
