package io.bv2j.training.data;

import io.bv2j.io.ModelConfig;
import io.bv2j.io.Npy;
import io.bv2j.io.RawTensor;
import io.bv2j.tensor.Scope;
import io.bv2j.training.TrainBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingDataTest {

    private static float[] ramp(int n, float base) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = base + i * 1e-3f;
        }
        return a;
    }

    @Test
    void loadsItemsWithTheirFeaturesAndIteratesAnEpoch(@TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Fixtures.wav(dir.resolve("wavs"), "en" + i + ".wav", 4500 + 700 * i, Fixtures.SR);
            lines.add(Fixtures.enLine("wavs/en" + i + ".wav", i % 2 == 0 ? "alice" : "bob"));
        }
        Fixtures.wav(dir.resolve("wavs"), "zh.wav", 5000, Fixtures.SR);
        Fixtures.torchSave(dir.resolve("wavs/zh.bert.pt"), ramp(1024 * 7, 1f), 1024, 7);
        lines.add("wavs/zh.wav|alice|ZH|a|_ a _|0 1 0|1 1 1");
        Fixtures.wav(dir.resolve("wavs"), "jp.wav", 5200, Fixtures.SR);
        Npy.write(dir.resolve("wavs/jp.bert.npy"), RawTensor.ofFloats(new long[] {768, 9}, ramp(768 * 9, -1f)));
        lines.add("wavs/jp.wav|bob|JP|ka|_ k a _|0 0 0 0|1 2 1");
        Path list = dir.resolve("filelists/train.list");
        Fixtures.write(list, lines);

        ModelConfig cfg = Fixtures.config(true, 4);
        TrainingData data = TrainingData.load(cfg, list, dir);
        assertEquals(8, data.size());
        assertTrue(data.report().problems().isEmpty(), data.report()::toString);

        DataItem zh = data.item(6);
        assertEquals(7, zh.textLength());
        assertArrayEquals(ramp(1024 * 7, 1f), zh.bert());
        assertNull(zh.jaBert());
        DataItem jp = data.item(7);
        assertNull(jp.bert());
        assertArrayEquals(ramp(768 * 9, -1f), jp.jaBert());
        assertEquals(1, jp.sid());
        DataItem en = data.item(0);
        assertNull(en.bert());
        assertNull(en.jaBert());
        assertEquals(4500, en.wav().length);
        assertEquals(4500 / Fixtures.HOP, en.specFrames());

        BucketSampler sampler = data.sampler();
        assertEquals(2, sampler.numBatches());
        BatchIterator epoch = data.epoch(sampler, 0);
        assertEquals(2, epoch.size());
        Set<Integer> seen = new HashSet<>();
        while (epoch.hasNext()) {
            int[] idx = epoch.indices(epoch.position());
            for (int i : idx) {
                seen.add(i);
            }
            try (Scope s = Scope.open()) {
                TrainBatch b = epoch.next();
                assertEquals(4, b.size());
                assertEquals(129, b.spec().dim(1));
                for (int r = 1; r < 4; r++) {
                    assertTrue(b.specLengths()[r - 1] >= b.specLengths()[r]);
                }
                assertEquals(b.wavLengths()[0], b.wav().dim(2));
                for (int r = 0; r < 4; r++) {
                    assertTrue(b.wavLengths()[r] >= b.specLengths()[r] * Fixtures.HOP);
                }
            }
        }
        assertEquals(8, seen.size());

        BatchIterator eval = data.sequential(3);
        assertEquals(3, eval.size());
        assertArrayEquals(new int[] {6, 7}, eval.indices(2));
        try (Scope s = Scope.open()) {
            TrainBatch last = eval.next();
            assertEquals(3, last.size());
        }
        try (Scope s = Scope.open()) {
            TrainBatch b = data.collate(6, 7);
            // zh.wav (5000 samples, 78 frames) is shorter than jp.wav (5200, 81): jp is row 0
            assertEquals(1, b.sid()[0]);
            float[] bert = b.bert().toArray();
            float[] ja = b.jaBert().toArray();
            int tx = 9;
            assertEquals(0f, bert[5], "row 0 (JP) has zero bert");
            assertEquals(1f, bert[1024 * tx], 0f);
            assertEquals(1f + 6e-3f, bert[1024 * tx + 6], 1e-6);
            assertEquals(0f, bert[1024 * tx + 7], "ZH row padded from 7 to 9 phones");
            assertEquals(-1f + 8e-3f, ja[8], 1e-6);
            assertEquals(0f, ja[768 * tx + 3], "row 1 (ZH) has zero ja_bert");
        }
    }
}
