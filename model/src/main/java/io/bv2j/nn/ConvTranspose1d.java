package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** torch.nn.ConvTranspose1d under weight_norm (the Generator's upsampling): weight [in, out, k]. */
public final class ConvTranspose1d extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final int stride, padding;

    public ConvTranspose1d(int in, int out, int kernel, int stride, int padding) {
        // weight_norm re-registers the weight after the bias (torch's parameter order)
        this.bias = parameter("bias", out);
        this.weight = weightNormParameter("weight", in, out, kernel);
        this.stride = stride;
        this.padding = padding;
    }

    /** x[B, in, T] -> [B, out, (T-1)*stride - 2*padding + k] */
    public Tensor forward(Tensor x) {
        return Ops.convTranspose1d(x, weight.value(), bias.value(), stride, padding);
    }
}
