package io.bv2j.model;

import io.bv2j.Bv2jException;
import io.bv2j.tensor.Tensor;

import java.util.List;

/** One sub-discriminator of the multi-period discriminator: waveform in, score and feature maps out. */
public interface Discriminator {
    /** LeakyReLU slope between layers (modules.LRELU_SLOPE). */
    float LRELU_SLOPE = 0.1f;

    /** score: the last layer flattened to [B, N]; fmaps: every layer's output (after its LeakyReLU), the last included. */
    record Output(Tensor score, List<Tensor> fmaps) {
    }

    /** y[B, 1, T] -> score and feature maps. */
    Output forward(Tensor y);

    /** The reference builds spectral_norm layers for use_spectral_norm=True; we only have weight_norm. */
    static void requireWeightNorm(boolean useSpectralNorm) {
        if (useSpectralNorm) {
            throw new Bv2jException("use_spectral_norm=true is unsupported: bv2j implements the weight_norm "
                    + "discriminators only (every shipped Bert-VITS2 config uses use_spectral_norm=false)");
        }
    }
}
