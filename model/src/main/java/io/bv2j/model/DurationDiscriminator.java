package io.bv2j.model;

import io.bv2j.Bv2jException;
import io.bv2j.nn.Conv1d;
import io.bv2j.nn.LayerNorm;
import io.bv2j.nn.Linear;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.List;

/**
 * models.DurationDiscriminator (VITS2): scores log durations against the text encoding, once for
 * each of two duration tensors sharing the encoding. Dropout applies only while a training loop
 * turns it on (see {@link Dropout}).
 */
public final class DurationDiscriminator extends Module {
    private final Conv1d conv1, conv2, durProj, preOutConv1, preOutConv2, cond;
    private final LayerNorm norm1, norm2, preOutNorm1, preOutNorm2;
    private final Linear outputLayer;

    private final double pDropout;

    public DurationDiscriminator(int in, int filter, int kernel, double pDropout, int ginChannels) {
        this.pDropout = pDropout;
        conv1 = child("conv_1", Conv1d.of(in, filter, kernel).padding(kernel / 2).build());
        norm1 = child("norm_1", new LayerNorm(filter));
        conv2 = child("conv_2", Conv1d.of(filter, filter, kernel).padding(kernel / 2).build());
        norm2 = child("norm_2", new LayerNorm(filter));
        durProj = child("dur_proj", Conv1d.of(1, filter, 1).build());
        preOutConv1 = child("pre_out_conv_1", Conv1d.of(2 * filter, filter, kernel).padding(kernel / 2).build());
        preOutNorm1 = child("pre_out_norm_1", new LayerNorm(filter));
        preOutConv2 = child("pre_out_conv_2", Conv1d.of(filter, filter, kernel).padding(kernel / 2).build());
        preOutNorm2 = child("pre_out_norm_2", new LayerNorm(filter));
        cond = ginChannels != 0 ? child("cond", Conv1d.of(ginChannels, in, 1).build()) : null;
        outputLayer = child("output_layer.0", new Linear(filter, 1)); // Sequential(Linear, Sigmoid)
    }

    /**
     * x[B, in, T] (detached in the reference), mask [B, 1, T], durR and durHat [B, 1, T],
     * g [B, gin, 1] or null -> [prob_r, prob_hat], each [B, T, 1].
     */
    public List<Tensor> forward(Tensor x, Tensor mask, Tensor durR, Tensor durHat, Tensor g) {
        // The reference detaches the encoder features and speaker: only durations carry gradients.
        x = x.detach();
        if (g != null) {
            if (cond == null) throw new Bv2jException("DurationDiscriminator was built without gin_channels but got g");
            x = Ops.add(x, cond.forward(g.detach()));
        }
        x = Dropout.apply(norm1.forward(Ops.relu(conv1.forward(Ops.mul(x, mask)))), pDropout);
        x = Dropout.apply(norm2.forward(Ops.relu(conv2.forward(Ops.mul(x, mask)))), pDropout);
        return List.of(probability(x, mask, durR), probability(x, mask, durHat));
    }

    /** forward_probability: x[B, filter, T], dur[B, 1, T] -> [B, T, 1]. */
    private Tensor probability(Tensor x, Tensor mask, Tensor dur) {
        Tensor h = Ops.cat(1, x, durProj.forward(dur)); // [B, 2·filter, T]
        h = Dropout.apply(preOutNorm1.forward(Ops.relu(preOutConv1.forward(Ops.mul(h, mask)))), pDropout);
        h = Dropout.apply(preOutNorm2.forward(Ops.relu(preOutConv2.forward(Ops.mul(h, mask)))), pDropout);
        h = Ops.transpose(Ops.mul(h, mask), 1, 2); // [B, T, filter]
        return Ops.sigmoid(outputLayer.forward(h));
    }
}
