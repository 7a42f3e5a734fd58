package io.bv2j.model;

import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** modules.Flip: reverses the channel order (no parameters, log-det 0). */
public final class Flip extends Module implements Flow {
    @Override
    public Result forward(Tensor x, Tensor mask, Tensor g) {
        return new Result(Ops.flip(x, 1), Tensor.zeros(x.dim(0)));
    }

    @Override
    public Tensor reverse(Tensor x, Tensor mask, Tensor g) {
        return Ops.flip(x, 1);
    }
}
