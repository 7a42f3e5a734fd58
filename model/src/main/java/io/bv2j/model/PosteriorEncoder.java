package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

/** models.PosteriorEncoder: spectrogram -> WN -> (m, logs), z = m + noise * exp(logs). */
public final class PosteriorEncoder extends Module {
    private final Conv1d pre, proj;
    private final WN enc;
    private final int outChannels;

    public PosteriorEncoder(int in, int out, int hidden, int kernel, int dilationRate, int layers, int ginChannels) {
        outChannels = out;
        pre = child("pre", Conv1d.of(in, hidden, 1).build());
        enc = child("enc", new WN(hidden, kernel, dilationRate, layers, ginChannels));
        proj = child("proj", Conv1d.of(hidden, out * 2, 1).build());
    }

    public record Output(Tensor z, Tensor m, Tensor logs, Tensor mask) {
    }

    /** y[B, spec, T], lengths [B], g [B, gin, 1] or null. */
    public Output forward(Tensor y, int[] lengths, Tensor g, Noise noise) {
        Tensor mask = Commons.sequenceMask(lengths, y.dim(2));
        Tensor x = Ops.mul(pre.forward(y), mask);
        x = enc.forward(x, mask, g);
        Tensor stats = Ops.mul(proj.forward(x), mask);
        Tensor m = Ops.narrow(stats, 1, 0, outChannels), logs = Ops.narrow(stats, 1, outChannels, outChannels);
        Tensor eps = noise.normal("PosteriorEncoder.forward", m.shape());
        Tensor z = Ops.mul(Ops.add(m, Ops.mul(eps, Ops.exp(logs))), mask);
        return new Output(z, m, logs, mask);
    }
}
