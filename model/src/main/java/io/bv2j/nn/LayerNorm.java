package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** modules.LayerNorm / attentions.LayerNorm: over the channels of [B, C, T], eps 1e-5. */
public final class LayerNorm extends Module {
    private final Parameter gamma;
    private final Parameter beta;

    public LayerNorm(int channels) {
        this.gamma = parameter("gamma", channels);
        this.beta = parameter("beta", channels);
    }

    public Tensor forward(Tensor x) {
        return Ops.layerNormChannels(x, gamma.value(), beta.value(), 1e-5f);
    }
}
