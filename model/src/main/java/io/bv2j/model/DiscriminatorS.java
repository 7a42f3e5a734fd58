package io.bv2j.model;

import io.bv2j.nn.Conv1d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** models.DiscriminatorS: strided grouped 1-d convolutions over the raw waveform. */
public final class DiscriminatorS extends Module implements Discriminator {
    private final List<Conv1d> convs = new ArrayList<>();
    private final Conv1d convPost;

    public DiscriminatorS(boolean useSpectralNorm) {
        Discriminator.requireWeightNorm(useSpectralNorm);
        conv(0, Conv1d.of(1, 16, 15).padding(7));
        conv(1, Conv1d.of(16, 64, 41).stride(4).groups(4).padding(20));
        conv(2, Conv1d.of(64, 256, 41).stride(4).groups(16).padding(20));
        conv(3, Conv1d.of(256, 1024, 41).stride(4).groups(64).padding(20));
        conv(4, Conv1d.of(1024, 1024, 41).stride(4).groups(256).padding(20));
        conv(5, Conv1d.of(1024, 1024, 5).padding(2));
        convPost = child("conv_post", Conv1d.of(1024, 1, 3).padding(1).weightNorm().build());
    }

    private void conv(int i, Conv1d.Builder b) {
        convs.add(child("convs." + i, b.weightNorm().build()));
    }

    @Override
    public Output forward(Tensor y) {
        if (y.rank() != 3) throw new IllegalArgumentException("DiscriminatorS input must be [B, 1, T], got " + y);
        Tensor x = y;
        List<Tensor> fmaps = new ArrayList<>();
        for (Conv1d conv : convs) {
            x = Ops.leakyRelu(conv.forward(x), LRELU_SLOPE);
            fmaps.add(x);
        }
        x = convPost.forward(x); // [B, 1, T']
        fmaps.add(x);
        return new Output(x.reshape(x.dim(0), -1), fmaps);
    }
}
