package io.bv2j.model;

import io.bv2j.nn.Module;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * TransformerCouplingBlock / ResidualCouplingBlock: n coupling layers each followed by a Flip
 * (flows.0, flows.1 = Flip, flows.2, ...).
 */
public final class CouplingBlock extends Module {
    private final List<Flow> flows = new ArrayList<>();

    private CouplingBlock(int nFlows, IntFunction<? extends Module> layer) {
        for (int i = 0; i < nFlows; i++) {
            flows.add((Flow) child("flows." + (2 * i), layer.apply(i)));
            flows.add(child("flows." + (2 * i + 1), new Flip()));
        }
    }

    public static CouplingBlock transformer(int channels, int hidden, int filter, int heads, int layers, int kernel,
                                            double pDropout, int nFlows, int ginChannels) {
        return new CouplingBlock(nFlows, i -> new TransformerCouplingLayer(channels, hidden, kernel, layers, heads,
                filter, pDropout, ginChannels));
    }

    public static CouplingBlock residual(int channels, int hidden, int kernel, int dilationRate, int layers,
                                         int nFlows, int ginChannels) {
        return new CouplingBlock(nFlows, i -> new ResidualCouplingLayer(channels, hidden, kernel, dilationRate, layers,
                ginChannels));
    }

    /** z -> z_p (training direction). */
    public Tensor forward(Tensor x, Tensor mask, Tensor g) {
        for (Flow f : flows) x = f.forward(x, mask, g).y();
        return x;
    }

    /** z_p -> z (inference direction). */
    public Tensor reverse(Tensor x, Tensor mask, Tensor g) {
        Tensor input = x;
        for (Flow f : flows.reversed()) {
            Tensor in = x;
            // One layer's activations alive at a time; each layer's input is freed with them, except
            // the caller's own tensor.
            x = in == input ? Scope.keepResultOnly(() -> f.reverse(in, mask, g))
                    : Scope.keepResultOnly(() -> f.reverse(in, mask, g), in);
        }
        return x;
    }
}
