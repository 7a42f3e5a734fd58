package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.LayerNorm;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** models.DurationPredictor: two conv/relu/LayerNorm blocks and a 1-channel projection (log durations). */
public final class DurationPredictor extends Module {
    private final Conv1d conv1, conv2, proj, cond;
    private final LayerNorm norm1, norm2;
    private final double pDropout;

    public DurationPredictor(int in, int filter, int kernel, double pDropout, int ginChannels) {
        this.pDropout = pDropout;
        conv1 = child("conv_1", Conv1d.of(in, filter, kernel).padding(kernel / 2).build());
        norm1 = child("norm_1", new LayerNorm(filter));
        conv2 = child("conv_2", Conv1d.of(filter, filter, kernel).padding(kernel / 2).build());
        norm2 = child("norm_2", new LayerNorm(filter));
        proj = child("proj", Conv1d.of(filter, 1, 1).build());
        cond = ginChannels != 0 ? child("cond", Conv1d.of(ginChannels, in, 1).build()) : null;
    }

    /** x[B, in, T] (detached in the reference), mask [B, 1, T], g [B, gin, 1] or null -> logw [B, 1, T]. */
    public Tensor forward(Tensor x, Tensor mask, Tensor g) {
        // The reference trains the duration predictor on detached encoder features and speaker.
        x = x.detach();
        if (g != null && cond != null) x = Ops.add(x, cond.forward(g.detach()));
        x = Dropout.apply(norm1.forward(Ops.relu(conv1.forward(Ops.mul(x, mask)))), pDropout);
        x = Dropout.apply(norm2.forward(Ops.relu(conv2.forward(Ops.mul(x, mask)))), pDropout);
        return Ops.mul(proj.forward(Ops.mul(x, mask)), mask);
    }
}
