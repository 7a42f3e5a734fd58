package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** modules.ResidualCouplingLayer (mean_only=True) with a WN encoder. */
public final class ResidualCouplingLayer extends CouplingLayer {
    private final WN enc;

    public ResidualCouplingLayer(int channels, int hidden, int kernel, int dilationRate, int layers, int ginChannels) {
        super(channels, hidden);
        enc = child("enc", new WN(hidden, kernel, dilationRate, layers, ginChannels));
        registerPost();
    }

    @Override
    protected Tensor encode(Tensor h, Tensor mask, Tensor g) {
        return enc.forward(h, mask, g);
    }
}
