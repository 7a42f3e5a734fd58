package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.LayerNorm;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** modules.DDSConv: dilated (kernel^i) depthwise-separable convolutions with LayerNorm and GELU, residual. */
public final class DDSConv extends Module {
    private final List<Conv1d> convsSep = new ArrayList<>(), convs1x1 = new ArrayList<>();
    private final List<LayerNorm> norms1 = new ArrayList<>(), norms2 = new ArrayList<>();
    private final double pDropout;

    public DDSConv(int channels, int kernel, int layers, double pDropout) {
        this.pDropout = pDropout;
        for (int i = 0; i < layers; i++) {
            int dilation = (int) Math.pow(kernel, i);
            int padding = (kernel * dilation - dilation) / 2;
            convsSep.add(child("convs_sep." + i, Conv1d.of(channels, channels, kernel).groups(channels)
                    .dilation(dilation).padding(padding).build()));
        }
        for (int i = 0; i < layers; i++) convs1x1.add(child("convs_1x1." + i, Conv1d.of(channels, channels, 1).build()));
        for (int i = 0; i < layers; i++) norms1.add(child("norms_1." + i, new LayerNorm(channels)));
        for (int i = 0; i < layers; i++) norms2.add(child("norms_2." + i, new LayerNorm(channels)));
    }

    /** x[B, C, T], mask [B, 1, T], g (added to x first) or null. */
    public Tensor forward(Tensor x, Tensor mask, Tensor g) {
        if (g != null) x = Ops.add(x, g);
        for (int i = 0; i < convsSep.size(); i++) {
            Tensor y = convsSep.get(i).forward(Ops.mul(x, mask));
            y = Ops.gelu(norms1.get(i).forward(y));
            y = Dropout.apply(Ops.gelu(norms2.get(i).forward(convs1x1.get(i).forward(y))), pDropout);
            x = Ops.add(x, y);
        }
        return Ops.mul(x, mask);
    }
}
