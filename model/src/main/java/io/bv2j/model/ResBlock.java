package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** A HiFi-GAN residual block of the Generator (ResBlock1 or ResBlock2). */
public interface ResBlock {
    float LRELU_SLOPE = 0.1f;

    /** x[B, C, T] -> [B, C, T], no mask (the Generator never passes one). */
    Tensor forward(Tensor x);
}
