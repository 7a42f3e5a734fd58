package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** modules.WN: WaveNet-style stack of gated dilated convolutions with residual and skip outputs. */
public final class WN extends Module {
    private final List<Conv1d> inLayers = new ArrayList<>(), resSkipLayers = new ArrayList<>();
    private final Conv1d condLayer;
    private final int hidden;

    public WN(int hidden, int kernel, int dilationRate, int layers, int ginChannels) {
        if (kernel % 2 != 1) throw new IllegalArgumentException("WN kernel must be odd, got " + kernel);
        this.hidden = hidden;
        for (int i = 0; i < layers; i++) {
            int dilation = (int) Math.pow(dilationRate, i);
            int padding = (kernel * dilation - dilation) / 2;
            inLayers.add(child("in_layers." + i, Conv1d.of(hidden, 2 * hidden, kernel).dilation(dilation)
                    .padding(padding).weightNorm().build()));
        }
        for (int i = 0; i < layers; i++) {
            int resSkip = i < layers - 1 ? 2 * hidden : hidden;
            resSkipLayers.add(child("res_skip_layers." + i, Conv1d.of(hidden, resSkip, 1).weightNorm().build()));
        }
        // After the layer lists, as torch registers them (the lists are assigned first in __init__).
        condLayer = ginChannels != 0
                ? child("cond_layer", Conv1d.of(ginChannels, 2 * hidden * layers, 1).weightNorm().build()) : null;
    }

    /** x[B, H, T], mask [B, 1, T], g [B, gin, 1] or null. */
    public Tensor forward(Tensor x, Tensor mask, Tensor g) {
        Tensor output = null;
        Tensor cond = g != null && condLayer != null ? condLayer.forward(g) : null;
        int layers = inLayers.size();
        for (int i = 0; i < layers; i++) {
            Tensor acts = Ops.wnGate(inLayers.get(i).forward(x), cond, i * 2 * hidden);
            Tensor resSkip = resSkipLayers.get(i).forward(acts);
            Tensor skip;
            if (i < layers - 1) {
                x = Ops.mul(Ops.add(x, Ops.narrow(resSkip, 1, 0, hidden)), mask);
                skip = Ops.narrow(resSkip, 1, hidden, hidden);
            } else {
                skip = resSkip;
            }
            output = output == null ? skip : Ops.add(output, skip);
        }
        return Ops.mul(output, mask);
    }
}
