package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** Every stage of SynthesizerTrn.infer, named as in the golden files; o is the waveform [B, 1, samples]. */
public record InferResult(Tensor g, Tensor encX, Tensor mP, Tensor logsP, Tensor xMask, Tensor logwSdp,
                          Tensor logwDp, Tensor logw, Tensor wCeil, int[] yLengths, Tensor yMask, int[][] path,
                          int tx, Tensor mPExpanded, Tensor logsPExpanded, Tensor zP, Tensor z, Tensor o) {
    /** The alignment as the reference's dense attn [B, 1, ty, tx]. */
    public Tensor attn() {
        return Commons.pathTensor(path, tx);
    }
}
