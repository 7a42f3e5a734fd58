package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** torch.nn.Conv2d (optionally under weight_norm): weight [out, in, kh, kw]. */
public final class Conv2d extends Module {
    private final Parameter weight;
    private final Parameter bias;
    private final int sh, sw, ph, pw;

    public Conv2d(int in, int out, int kh, int kw, int sh, int sw, int ph, int pw, boolean weightNorm) {
        int[] shape = {out, in, kh, kw};
        if (weightNorm) { // weight_norm re-registers the weight after the bias (torch's parameter order)
            this.bias = parameter("bias", out);
            this.weight = weightNormParameter("weight", shape);
        } else {
            this.weight = parameter("weight", shape);
            this.bias = parameter("bias", out);
        }
        this.sh = sh;
        this.sw = sw;
        this.ph = ph;
        this.pw = pw;
    }

    /** x[B, in, H, W] -> [B, out, H', W'] */
    public Tensor forward(Tensor x) {
        return Ops.conv2d(x, weight.value(), bias.value(), sh, sw, ph, pw);
    }
}
