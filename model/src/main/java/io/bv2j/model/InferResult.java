package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** Every stage of SynthesizerTrn.infer, named as in the golden files; o is the waveform [B, 1, samples]. */
public record InferResult(Tensor g, Tensor encX, Tensor mP, Tensor logsP, Tensor xMask, Tensor logwSdp,
                          Tensor logwDp, Tensor logw, Tensor wCeil, int[] yLengths, Tensor yMask, int[][] path,
                          int tx, Tensor mPExpanded, Tensor logsPExpanded, Tensor zP, Tensor z, Tensor o) {
    /** What the decoder sees: z · y_mask [B, C, ty]. */
    public Tensor decoderInput() {
        return io.bv2j.tensor.Ops.mul(z, yMask);
    }

    /** The same stages with the waveform o [B, 1, samples] filled in. */
    public InferResult withWaveform(Tensor waveform) {
        return new InferResult(g, encX, mP, logsP, xMask, logwSdp, logwDp, logw, wCeil, yLengths, yMask, path, tx,
                mPExpanded, logsPExpanded, zP, z, waveform);
    }

    /** The alignment as the reference's dense attn [B, 1, ty, tx]. */
    public Tensor attn() {
        return Commons.pathTensor(path, tx);
    }
}
