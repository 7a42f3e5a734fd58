package io.bv2j.model;

import io.bv2j.tensor.Tensor;

/** modules.TransformerCouplingLayer (mean_only=True) with an attention Encoder (no parameter sharing). */
public final class TransformerCouplingLayer extends CouplingLayer {
    private final Encoder enc;

    public TransformerCouplingLayer(int channels, int hidden, int kernel, int layers, int heads, int filter,
                                    double pDropout, int ginChannels) {
        super(channels, hidden);
        enc = child("enc", new Encoder(hidden, filter, heads, layers, kernel, pDropout, ginChannels));
        registerPost();
    }

    @Override
    protected Tensor encode(Tensor h, Tensor mask, Tensor g) {
        return enc.forward(h, mask, g);
    }
}
