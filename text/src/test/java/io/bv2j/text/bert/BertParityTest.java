package io.bv2j.text.bert;

import io.bv2j.Bv2jException;
import io.bv2j.text.BertFeatures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** hidden_states[-3] of the tiny random BERT against PyTorch (text/scripts/make_bert_fixture.py). */
class BertParityTest {
    /** The bound on hidden states, relative L2. */
    private static final double PARITY = 1e-5;
    private static BertFolder fromSafetensors, fromPickle;

    @BeforeAll
    static void load() {
        fromSafetensors = BertFolder.load(BertFixture.safetensorsFolder());
        fromPickle = BertFolder.load(BertFixture.pickleFolder());
    }

    @AfterAll
    static void close() {
        fromSafetensors.close();
        fromPickle.close();
    }

    @Test
    void hiddenStatesMatchPyTorch() {
        for (int n = 0; n < BertFixture.SEQUENCES; n++) {
            float[] ours = fromSafetensors.hiddenStates(List.of(BertFixture.ids(n))).getFirst();
            double err = BertFixture.relativeL2(ours, BertFixture.expectedHidden(n));
            assertTrue(err <= PARITY, "sequence " + n + ": relative L2 " + err);
        }
    }

    @Test
    void pickledWeightsGiveTheSameStatesAsSafetensors() {
        for (int n = 0; n < BertFixture.SEQUENCES; n++) {
            List<int[]> one = List.of(BertFixture.ids(n));
            assertArrayEquals(fromSafetensors.hiddenStates(one).getFirst(), fromPickle.hiddenStates(one).getFirst(),
                    "sequence " + n);
        }
    }

    @Test
    void aPaddedBatchEqualsOneByOne() {
        List<int[]> all = new ArrayList<>();
        for (int n = 0; n < BertFixture.SEQUENCES; n++) all.add(BertFixture.ids(n));
        List<float[]> batched = fromSafetensors.hiddenStates(all);
        assertEquals(all.size(), batched.size());
        for (int n = 0; n < all.size(); n++) {
            float[] alone = fromSafetensors.hiddenStates(List.of(all.get(n))).getFirst();
            // Padding changes only the GEMMs' widths, not what any real token sees: float rounding at most.
            double err = BertFixture.relativeL2(batched.get(n), alone);
            assertTrue(err <= 1e-6, "sequence " + n + " in the batch: relative L2 " + err + " from its own run");
        }
    }

    @Test
    void featuresRepeatEachTokensColumnByWord2ph() {
        // "你好,world!" is fixture sequence 0: [CLS] 你 好 , world ! [SEP].
        int[] word2ph = {1, 2, 3, 1, 4, 0, 2};
        BertFeatures f = fromSafetensors.features();
        assertEquals(32, f.dim());
        float[] got = f.features("你好,world!", word2ph);
        float[] tokens = BertFixture.expectedHidden(0);
        int phones = 13, t = word2ph.length;
        assertEquals(32 * phones, got.length);
        double num = 0, den = 0;
        for (int c = 0; c < 32; c++) {
            int p = 0;
            for (int i = 0; i < t; i++) {
                for (int r = 0; r < word2ph[i]; r++, p++) {
                    double want = tokens[c * t + i], d = got[c * phones + p] - want;
                    num += d * d;
                    den += want * want;
                }
            }
        }
        assertTrue(Math.sqrt(num / den) <= PARITY, "relative L2 " + Math.sqrt(num / den));
    }

    @Test
    void word2phMustHaveOneEntryPerToken() {
        Bv2jException e = assertThrows(Bv2jException.class,
                () -> fromSafetensors.features().features("你好,world!", new int[]{1, 2, 3, 1, 4, 1}));
        assertTrue(e.getMessage().contains("word2ph has 6 entries but BERT's tokenizer makes 7 tokens"), e.getMessage());
    }

    @Test
    void tooManyTokensAreRefused() {
        int[] ids = new int[41]; // the fixture has 40 positions
        Bv2jException e = assertThrows(Bv2jException.class, () -> fromSafetensors.hiddenStates(List.of(ids)));
        assertTrue(e.getMessage().contains("41 tokens; this model takes at most 40"), e.getMessage());
    }

    @Test
    void oneLoadedFolderServesSeveralThreadsAtOnce() throws Exception {
        BertFeatures f = fromSafetensors.features();
        int[] word2ph = {1, 1, 1, 1, 1, 1, 1};
        float[] alone = f.features("你好,world!", word2ph);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<float[]>> runs = new ArrayList<>();
            for (int i = 0; i < 16; i++) runs.add(pool.submit(() -> f.features("你好,world!", word2ph)));
            for (Future<float[]> r : runs) assertArrayEquals(alone, r.get());
        } finally {
            pool.shutdown();
        }
    }
}
