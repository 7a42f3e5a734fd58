package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** torch.nn.Linear: weight [out, in], bias [out]. */
public final class Linear extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final int in, out;

    public Linear(int in, int out) {
        this.in = in;
        this.out = out;
        this.weight = parameter("weight", out, in);
        this.bias = parameter("bias", out);
    }

    /** x[N, in] -> [N, out] */
    public Tensor forward(Tensor x) {
        return Ops.add(Ops.matmul(x, weight.value(), false, true), bias.value());
    }

    /** Applied to the channel dim of x[B, in, T] -> [B, out, T] (linear(x.transpose(1, 2)).transpose(1, 2)). */
    public Tensor forwardChannels(Tensor x) {
        return Ops.conv1d(x, weight.value().reshape(out, in, 1), bias.value(), 1, 0, 1, 1);
    }
}
