package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/**
 * A padded batch for {@link SynthesizerTrn#infer}: ids [B][T] (padded with 0), lengths [B],
 * bert [B, 1024, T], jaBert [B, 768, T], speaker ids (or a reference spectrogram
 * [B, spec, Ty] for n_speakers == 0) and the sampling knobs. maxFrames bounds the output.
 */
public record InferInput(int[][] phones, int[][] tones, int[][] languages, int[] lengths, Tensor bert, Tensor jaBert,
                         int[] sid, Tensor refSpec, float noiseScale, float noiseScaleW, float lengthScale,
                         float sdpRatio, long maxFrames) {
    public int batch() {
        return phones.length;
    }

    public int maxLength() {
        return phones.length == 0 ? 0 : phones[0].length;
    }
}
