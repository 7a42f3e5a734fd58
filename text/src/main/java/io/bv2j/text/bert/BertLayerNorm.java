package io.bv2j.text.bert;

import io.bv2j.nn.Module;
import io.bv2j.nn.Parameter;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** Hugging Face's LayerNorm (weight, bias, the config's eps) over the channels of [B, hidden, T]. */
final class BertLayerNorm extends Module {
    private final Parameter weight, bias;
    private final float eps;

    BertLayerNorm(int hidden, float eps) {
        this.weight = parameter("weight", hidden);
        this.bias = parameter("bias", hidden);
        this.eps = eps;
    }

    Tensor forward(Tensor x) {
        return Ops.layerNormChannels(x, weight.value(), bias.value(), eps);
    }
}
