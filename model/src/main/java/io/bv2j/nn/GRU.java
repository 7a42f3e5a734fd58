package io.bv2j.nn;

import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** torch.nn.GRU with one layer, batch_first, unidirectional; only the last hidden state is used. */
public final class GRU extends Module {
    private final Parameter wIh, wHh, bIh, bHh;

    public GRU(int input, int hidden) {
        wIh = parameter("weight_ih_l0", 3 * hidden, input);
        wHh = parameter("weight_hh_l0", 3 * hidden, hidden);
        bIh = parameter("bias_ih_l0", 3 * hidden);
        bHh = parameter("bias_hh_l0", 3 * hidden);
    }

    /** x[B, T, input] -> h_T [B, hidden] (from h_0 = 0). */
    public Tensor lastHidden(Tensor x) {
        return Ops.gruLast(x, wIh.value(), wHh.value(), bIh.value(), bHh.value());
    }
}
