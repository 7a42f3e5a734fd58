package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Scope;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** modules.ResBlock1: per dilation, x += conv2(lrelu(conv1_d(lrelu(x)))). */
public final class ResBlock1 extends Module implements ResBlock {
    private final List<Conv1d> convs1 = new ArrayList<>(), convs2 = new ArrayList<>();

    public ResBlock1(int channels, int kernel, int[] dilations) {
        for (int i = 0; i < dilations.length; i++) {
            int d = dilations[i];
            convs1.add(child("convs1." + i, Conv1d.of(channels, channels, kernel).dilation(d)
                    .padding((kernel * d - d) / 2).weightNorm().build()));
        }
        for (int i = 0; i < dilations.length; i++) {
            convs2.add(child("convs2." + i, Conv1d.of(channels, channels, kernel).padding((kernel - 1) / 2)
                    .weightNorm().build()));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        for (int i = 0; i < convs1.size(); i++) {
            Conv1d c1 = convs1.get(i), c2 = convs2.get(i);
            Tensor in = x;
            // In inference each step keeps only its output (xt and the previous step's output are
            // freed at once, not with the block; the block's own input belongs to the caller).
            x = Scope.keepResultOnly(() -> c2.forwardFused(c1.forwardFused(in, LRELU_SLOPE, null), LRELU_SLOPE, in), in);
        }
        return x;
    }
}
