package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/**
 * The mean-only affine coupling shared by ResidualCouplingLayer (WN inside) and
 * TransformerCouplingLayer (attention Encoder inside): x1 += m(x0), log-det 0.
 */
abstract class CouplingLayer extends Module implements Flow {
    private final Conv1d pre, post;
    private final int half;

    CouplingLayer(int channels, int hidden) {
        if (channels % 2 != 0) throw new IllegalArgumentException("coupling channels must be even, got " + channels);
        half = channels / 2;
        pre = child("pre", Conv1d.of(half, hidden, 1).build());
        post = Conv1d.of(hidden, half, 1).build();
    }

    /** Registers `post` after the subclass registered `enc`, keeping the reference's key order. */
    protected final void registerPost() {
        child("post", post);
    }

    protected abstract Tensor encode(Tensor h, Tensor mask, Tensor g);

    private Tensor mean(Tensor x0, Tensor mask, Tensor g) {
        Tensor h = Ops.mul(pre.forward(x0), mask);
        h = encode(h, mask, g);
        return Ops.mul(post.forward(h), mask);
    }

    @Override
    public Result forward(Tensor x, Tensor mask, Tensor g) {
        Tensor x0 = Ops.narrow(x, 1, 0, half), x1 = Ops.narrow(x, 1, half, half);
        Tensor m = mean(x0, mask, g);
        x1 = Ops.add(m, Ops.mul(x1, mask));
        return new Result(Ops.cat(1, x0, x1), Tensor.zeros(x.dim(0)));
    }

    @Override
    public Tensor reverse(Tensor x, Tensor mask, Tensor g) {
        Tensor x0 = Ops.narrow(x, 1, 0, half), x1 = Ops.narrow(x, 1, half, half);
        Tensor m = mean(x0, mask, g);
        x1 = Ops.mul(Ops.sub(x1, m), mask);
        return Ops.cat(1, x0, x1);
    }
}
