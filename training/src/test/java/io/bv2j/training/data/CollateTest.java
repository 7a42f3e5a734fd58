package io.bv2j.training.data;

import io.bv2j.text.TextIds;
import io.bv2j.tensor.Scope;
import io.bv2j.training.TrainBatch;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CollateTest {

    private static final int C = 3;

    /** An item whose every value encodes (tag, position) so padding and placement are visible. */
    private static DataItem item(int tag, int textLen, int frames, int samples, boolean zh, boolean jp) {
        int[] ids = new int[textLen];
        int[] tones = new int[textLen];
        int[] langs = new int[textLen];
        for (int i = 0; i < textLen; i++) {
            ids[i] = tag * 10 + i + 1;
            tones[i] = tag;
            langs[i] = 2;
        }
        float[] spec = new float[C * frames];
        for (int i = 0; i < spec.length; i++) {
            spec[i] = tag + 0.001f * (i + 1);
        }
        float[] wav = new float[samples];
        java.util.Arrays.fill(wav, tag);
        float[] bert = zh ? filled(BertFeatures.ZH_DIM * textLen, tag) : null;
        float[] ja = jp ? filled(BertFeatures.JA_DIM * textLen, -tag) : null;
        return new DataItem(null, new TextIds.Sequence(ids, tones, langs), bert, ja, spec, C, frames, wav, tag % 2);
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    @Test
    void sortsBySpecLengthDescendingAndZeroPadsEverything() {
        DataItem a = item(1, 5, 4, 300, true, false);  // shortest spec
        DataItem b = item(2, 3, 9, 600, false, true);  // longest spec, shortest text
        DataItem c = item(3, 7, 6, 400, false, false); // EN: no features
        try (Scope s = Scope.open()) {
            TrainBatch batch = Collate.collate(List.of(a, b, c));
            assertEquals(3, batch.size());
            assertArrayEquals(new int[] {9, 6, 4}, batch.specLengths());
            assertArrayEquals(new int[] {3, 7, 5}, batch.xLengths());
            assertArrayEquals(new int[] {600, 400, 300}, batch.wavLengths());
            assertArrayEquals(new int[] {0, 1, 1}, batch.sid());
            assertArrayEquals(new int[] {21, 22, 23, 0, 0, 0, 0}, batch.phones()[0]);
            assertArrayEquals(new int[] {2, 2, 2, 0, 0, 0, 0}, batch.tones()[0]);
            assertArrayEquals(new int[] {2, 2, 2, 0, 0, 0, 0}, batch.languages()[0]);
            assertArrayEquals(new int[] {11, 12, 13, 14, 15, 0, 0}, batch.phones()[2]);

            assertArrayEquals(new int[] {3, 1024, 7}, batch.bert().shape());
            assertArrayEquals(new int[] {3, 768, 7}, batch.jaBert().shape());
            assertArrayEquals(new int[] {3, C, 9}, batch.spec().shape());
            assertArrayEquals(new int[] {3, 1, 600}, batch.wav().shape());

            // row 2 is item a (ZH): bert = 1 on its 5 phones, 0 after; ja_bert all zeros
            float[] bert = batch.bert().toArray();
            float[] ja = batch.jaBert().toArray();
            int rowBert = 1024 * 7;
            assertEquals(1f, bert[2 * rowBert + 1023 * 7 + 4]);
            assertEquals(0f, bert[2 * rowBert + 1023 * 7 + 5]);
            assertEquals(0f, sum(bert, 0, 2 * rowBert), "rows of JP and EN items have zero bert");
            // row 0 is item b (JP): ja_bert = -2 on its 3 phones
            assertEquals(-2f, ja[767 * 7 + 2]);
            assertEquals(0f, ja[767 * 7 + 3]);
            assertEquals(0f, sum(ja, 768 * 7, 3 * 768 * 7));

            // spec row 1 is item c: 6 frames then zeros, values in place
            float[] spec = batch.spec().toArray();
            int rowSpec = C * 9;
            assertEquals(3 + 0.001f * (2 * 6 + 6), spec[rowSpec + 2 * 9 + 5], 1e-6);
            assertEquals(0f, spec[rowSpec + 2 * 9 + 6]);
            float[] wav = batch.wav().toArray();
            assertEquals(1f, wav[2 * 600 + 299]);
            assertEquals(0f, wav[2 * 600 + 300]);
        }
    }

    @Test
    void equalSpecLengthsKeepBatchOrder() {
        try (Scope s = Scope.open()) {
            TrainBatch batch = Collate.collate(List.of(item(4, 2, 5, 10, false, false), item(5, 2, 5, 10, false, false),
                    item(6, 2, 7, 10, false, false)));
            assertEquals(61, batch.phones()[0][0]);
            assertEquals(41, batch.phones()[1][0]);
            assertEquals(51, batch.phones()[2][0]);
        }
    }

    private static float sum(float[] a, int from, int to) {
        float s = 0;
        for (int i = from; i < to; i++) {
            s += Math.abs(a[i]);
        }
        return s;
    }
}
