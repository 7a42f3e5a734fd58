package io.bv2j.model;

import io.bv2j.nn.Module;
import io.bv2j.nn.Parameter;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** modules.ElementwiseAffine: y = m + exp(logs) * x per channel. */
public final class ElementwiseAffine extends Module implements Flow {
    private final Parameter m, logs;

    public ElementwiseAffine(int channels) {
        m = parameter("m", channels, 1);
        logs = parameter("logs", channels, 1);
    }

    @Override
    public Result forward(Tensor x, Tensor mask, Tensor g) {
        Tensor y = Ops.mul(Ops.add(m.value(), Ops.mul(Ops.exp(logs.value()), x)), mask);
        return new Result(y, Ops.sumPerBatch(Ops.mul(logs.value(), mask)));
    }

    @Override
    public Tensor reverse(Tensor x, Tensor mask, Tensor g) {
        return Ops.mul(Ops.mul(Ops.sub(x, m.value()), Ops.exp(Ops.scale(logs.value(), -1f))), mask);
    }
}
