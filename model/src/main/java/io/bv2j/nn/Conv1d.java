package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** torch.nn.Conv1d (optionally under weight_norm): weight [out, in/groups, k], bias [out]. */
public final class Conv1d extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final int stride, padding, dilation, groups;

    private Conv1d(Builder b) {
        int[] shape = {b.out, b.in / b.groups, b.kernel};
        // torch's weight_norm re-registers the weight after the bias: keep its parameter order.
        if (b.weightNorm) {
            this.bias = b.bias ? parameter("bias", b.out) : null;
            this.weight = weightNormParameter("weight", shape);
        } else {
            this.weight = parameter("weight", shape);
            this.bias = b.bias ? parameter("bias", b.out) : null;
        }
        this.stride = b.stride;
        this.padding = b.padding;
        this.dilation = b.dilation;
        this.groups = b.groups;
    }

    public static Builder of(int in, int out, int kernel) {
        return new Builder(in, out, kernel);
    }

    /** x[B, in, T] -> [B, out, T'] */
    public Tensor forward(Tensor x) {
        return Ops.conv1d(x, weight.value(), bias == null ? null : bias.value(), stride, padding, dilation, groups);
    }

    /**
     * conv(leakyRelu(x, inSlope)) + residual in one pass ({@link Ops#conv1dFused}); stride 1 and
     * groups 1 only. x[B, in, T], residual [B, out, T'] or null -> [B, out, T']
     */
    public Tensor forwardFused(Tensor x, float inSlope, Tensor residual) {
        if (stride != 1 || groups != 1) throw new IllegalStateException("fused conv1d needs stride 1 and groups 1");
        return Ops.conv1dFused(x, inSlope, weight.value(), bias == null ? null : bias.value(), padding, dilation,
                residual);
    }

    /** With explicit left/right padding instead of the layer's symmetric padding. */
    public Tensor forward(Tensor x, int padLeft, int padRight) {
        return Ops.conv1d(x, weight.value(), bias == null ? null : bias.value(), stride, padLeft, padRight, dilation,
                groups);
    }

    public Tensor weight() {
        return weight.value();
    }

    public Tensor bias() {
        return bias == null ? null : bias.value();
    }

    public static final class Builder {
        private final int in, out, kernel;
        private int stride = 1, padding = 0, dilation = 1, groups = 1;
        private boolean bias = true, weightNorm = false;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) { stride = s; return this; }
        public Builder padding(int p) { padding = p; return this; }
        public Builder dilation(int d) { dilation = d; return this; }
        public Builder groups(int g) { groups = g; return this; }
        public Builder noBias() { bias = false; return this; }
        public Builder weightNorm() { weightNorm = true; return this; }
        public Conv1d build() { return new Conv1d(this); }
    }
}
