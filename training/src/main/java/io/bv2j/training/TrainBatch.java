package io.bv2j.training;

import io.bv2j.tensor.Tensor;

/**
 * A collated training batch as the reference's collate pads it: phone/tone/language ids
 * [B][Tx], their lengths, bert [B, 1024, Tx], ja_bert [B, 768, Tx], linear spectrograms
 * spec [B, spec_channels, Ty] with lengths, waveforms wav [B, 1, Ty*hop] with lengths, speaker ids.
 */
public record TrainBatch(int[][] phones, int[][] tones, int[][] languages, int[] xLengths, Tensor bert,
                         Tensor jaBert, Tensor spec, int[] specLengths, Tensor wav, int[] wavLengths, int[] sid) {
    public int size() {
        return phones.length;
    }
}
