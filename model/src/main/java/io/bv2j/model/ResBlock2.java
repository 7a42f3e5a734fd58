package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** modules.ResBlock2: per dilation, x += conv_d(lrelu(x)). */
public final class ResBlock2 extends Module implements ResBlock {
    private final List<Conv1d> convs = new ArrayList<>();

    public ResBlock2(int channels, int kernel, int[] dilations) {
        for (int i = 0; i < dilations.length; i++) {
            int d = dilations[i];
            convs.add(child("convs." + i, Conv1d.of(channels, channels, kernel).dilation(d)
                    .padding((kernel * d - d) / 2).weightNorm().build()));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        for (Conv1d c : convs) {
            Tensor in = x;
            // In inference the previous step's output is freed at once (the block's input belongs to the caller).
            x = Scope.keepResultOnly(() -> c.forwardFused(in, LRELU_SLOPE, in), in);
        }
        return x;
    }
}
