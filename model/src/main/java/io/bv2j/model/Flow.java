package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** An invertible layer of a normalising flow, as the reference's flows (forward with log-det, reverse). */
public interface Flow {
    /** y and log|det| per batch element [B]. */
    record Result(Tensor y, Tensor logdet) {
    }

    Result forward(Tensor x, Tensor mask, Tensor g);

    Tensor reverse(Tensor x, Tensor mask, Tensor g);
}
