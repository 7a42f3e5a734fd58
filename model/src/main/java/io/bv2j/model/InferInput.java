package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/**
 * A padded batch for {@link SynthesizerTrn#infer}: ids [B][T] (padded with 0), lengths [B],
 * bert [B, 1024, T], jaBert [B, 768, T], speaker ids (or a reference spectrogram
 * [B, spec, Ty] for n_speakers == 0) and the sampling knobs. maxFrames bounds the output;
 * targetFrames > 0 rescales every utterance's durations to exactly that many frames, so that
 * benchmarks of different weights run the same amount of work.
 */
public record InferInput(int[][] phones, int[][] tones, int[][] languages, int[] lengths, Tensor bert, Tensor jaBert,
                         int[] sid, Tensor refSpec, float noiseScale, float noiseScaleW, float lengthScale,
                         float sdpRatio, long maxFrames, int targetFrames) {
    /** The same batch without a fixed output length (targetFrames 0: durations as predicted). */
    public InferInput(int[][] phones, int[][] tones, int[][] languages, int[] lengths, Tensor bert, Tensor jaBert,
                      int[] sid, Tensor refSpec, float noiseScale, float noiseScaleW, float lengthScale,
                      float sdpRatio, long maxFrames) {
        this(phones, tones, languages, lengths, bert, jaBert, sid, refSpec, noiseScale, noiseScaleW, lengthScale,
                sdpRatio, maxFrames, 0);
    }

    public int batch() {
        return phones.length;
    }

    public int maxLength() {
        return phones.length == 0 ? 0 : phones[0].length;
    }
}
