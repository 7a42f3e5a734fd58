package io.bv2j.training.data;

import io.bv2j.tensor.Tensor;
import io.bv2j.training.TrainBatch;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * TextAudioSpeakerCollate: zero-pads a list of items into one {@link TrainBatch}.
 *
 * <p>Rows are ordered by spectrogram length, longest first (the reference sorts with
 * {@code torch.sort(descending=True)}, whose order among equal lengths is unspecified; bv2j's sort
 * is stable, so ties keep their batch order). Phone, tone and language ids are padded with 0 to the
 * longest text; bert [B, 1024, Tx] and ja_bert [B, 768, Tx] with zeros (and are zeros wherever the
 * language has no features); spec [B, C, Ty] to the longest spectrogram; wav [B, 1, Tw] to the
 * longest waveform (in samples, which is at least Ty · hop). The tensors are made in the current
 * {@link io.bv2j.tensor.Scope}.
 */
public final class Collate {

    private Collate() {
    }

    public static TrainBatch collate(List<DataItem> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty batch");
        }
        int channels = items.getFirst().specChannels();
        for (DataItem it : items) {
            if (it.specChannels() != channels) {
                throw new IllegalArgumentException("spectrograms of " + channels + " and " + it.specChannels()
                        + " channels in one batch");
            }
        }
        Integer[] order = new Integer[items.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> items.get(i).specFrames()).reversed());

        int b = items.size();
        int maxText = 0;
        int maxSpec = 0;
        int maxWav = 0;
        for (DataItem it : items) {
            maxText = Math.max(maxText, it.textLength());
            maxSpec = Math.max(maxSpec, it.specFrames());
            maxWav = Math.max(maxWav, it.wav().length);
        }
        int[][] phones = new int[b][maxText];
        int[][] tones = new int[b][maxText];
        int[][] languages = new int[b][maxText];
        int[] xLengths = new int[b];
        int[] specLengths = new int[b];
        int[] wavLengths = new int[b];
        int[] sid = new int[b];
        Tensor bert = Tensor.zeros(b, BertFeatures.ZH_DIM, maxText);
        Tensor jaBert = Tensor.zeros(b, BertFeatures.JA_DIM, maxText);
        Tensor spec = Tensor.zeros(b, channels, maxSpec);
        Tensor wav = Tensor.zeros(b, 1, maxWav);
        for (int row = 0; row < b; row++) {
            DataItem it = items.get(order[row]);
            int t = it.textLength();
            System.arraycopy(it.text().phones(), 0, phones[row], 0, t);
            System.arraycopy(it.text().tones(), 0, tones[row], 0, t);
            System.arraycopy(it.text().languages(), 0, languages[row], 0, t);
            xLengths[row] = t;
            if (it.bert() != null) {
                copyRows(it.bert(), BertFeatures.ZH_DIM, t, bert, row, maxText);
            }
            if (it.jaBert() != null) {
                copyRows(it.jaBert(), BertFeatures.JA_DIM, t, jaBert, row, maxText);
            }
            copyRows(it.spec(), channels, it.specFrames(), spec, row, maxSpec);
            specLengths[row] = it.specFrames();
            copyRows(it.wav(), 1, it.wav().length, wav, row, maxWav);
            wavLengths[row] = it.wav().length;
            sid[row] = it.sid();
        }
        return new TrainBatch(phones, tones, languages, xLengths, bert, jaBert, spec, specLengths, wav, wavLengths, sid);
    }

    /** Copies src [rows, cols] into dst[row, :, :cols] of a [B, rows, stride] tensor. */
    private static void copyRows(float[] src, int rows, int cols, Tensor dst, int row, int stride) {
        if (src.length != (long) rows * cols) {
            throw new IllegalArgumentException("feature array of " + src.length + " floats is not " + rows + " × " + cols);
        }
        MemorySegment seg = dst.segment();
        long base = (long) row * rows * stride;
        for (int r = 0; r < rows; r++) {
            MemorySegment.copy(src, r * cols, seg, ValueLayout.JAVA_FLOAT, (base + (long) r * stride) * Float.BYTES, cols);
        }
    }
}
