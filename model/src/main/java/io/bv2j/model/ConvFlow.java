package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** modules.ConvFlow: DDSConv-conditioned rational-quadratic spline coupling (10 bins, tail bound 5). */
public final class ConvFlow extends Module implements Flow {
    private static final int BINS = 10;
    private static final float TAIL_BOUND = 5f;
    private final Conv1d pre, proj;
    private final DDSConv convs;
    private final int half;
    private final float paramScale;

    public ConvFlow(int inChannels, int filter, int kernel, int layers) {
        half = inChannels / 2;
        paramScale = (float) Math.sqrt(filter);
        pre = child("pre", Conv1d.of(half, filter, 1).build());
        convs = child("convs", new DDSConv(filter, kernel, layers, 0));
        proj = child("proj", Conv1d.of(filter, half * (BINS * 3 - 1), 1).build());
    }

    @Override
    public Result forward(Tensor x, Tensor mask, Tensor g) {
        Tensor[] r = couple(x, mask, g, false);
        return new Result(r[0], Ops.sumPerBatch(Ops.mul(r[1], mask)));
    }

    @Override
    public Tensor reverse(Tensor x, Tensor mask, Tensor g) {
        return couple(x, mask, g, true)[0];
    }

    /** {y, logabsdet of the transformed half} */
    private Tensor[] couple(Tensor x, Tensor mask, Tensor g, boolean inverse) {
        Tensor x0 = Ops.narrow(x, 1, 0, half), x1 = Ops.narrow(x, 1, half, half);
        Tensor h = convs.forward(pre.forward(x0), mask, g);
        h = Ops.mul(proj.forward(h), mask);
        Tensor[] spline = Ops.rqSpline(x1, h, BINS, TAIL_BOUND, paramScale, inverse);
        Tensor y = Ops.mul(Ops.cat(1, x0, spline[0]), mask);
        return new Tensor[]{y, spline[1]};
    }
}
