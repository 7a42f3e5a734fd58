package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/**
 * Where the network's random draws come from. Every site that draws in the reference asks this
 * source, in the reference's order and with the reference's shapes, so recorded draws can be
 * replayed (golden files, --noise-replay) and seeded runs are reproducible.
 */
public interface Noise {
    /** Standard normal draws of the given shape; `site` names the reference call that draws. */
    Tensor normal(String site, int... shape);

    /** Uniform [0, 1) draws of the given shape. */
    Tensor uniform(String site, int... shape);
}
