package io.bv2j.model;

import io.bv2j.nn.Conv2d;
import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.ReflectPad;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * models.DiscriminatorP: the waveform folded into `period` columns ([B, 1, T/p, p]) and run
 * through (k, 1) convolutions, so each column sees every p-th sample.
 */
public final class DiscriminatorP extends Module implements Discriminator {
    private static final int[] CHANNELS = {1, 32, 128, 512, 1024, 1024};

    private final int period;
    private final List<Conv2d> convs = new ArrayList<>();
    private final Conv2d convPost;

    public DiscriminatorP(int period, int kernel, int stride, boolean useSpectralNorm) {
        Discriminator.requireWeightNorm(useSpectralNorm);
        if (period < 1) throw new IllegalArgumentException("period must be positive, got " + period);
        this.period = period;
        int pad = (kernel - 1) / 2; // get_padding(kernel, 1)
        for (int i = 0; i < CHANNELS.length - 1; i++) {
            int s = i < CHANNELS.length - 2 ? stride : 1; // the last conv keeps the resolution
            convs.add(child("convs." + i, new Conv2d(CHANNELS[i], CHANNELS[i + 1], kernel, 1, s, 1, pad, 0, true)));
        }
        convPost = child("conv_post", new Conv2d(CHANNELS[CHANNELS.length - 1], 1, 3, 1, 1, 1, 1, 0, true));
    }

    /** As MultiPeriodDiscriminator builds it: kernel 5, stride 3. */
    public DiscriminatorP(int period, boolean useSpectralNorm) {
        this(period, 5, 3, useSpectralNorm);
    }

    public int period() {
        return period;
    }

    @Override
    public Output forward(Tensor y) {
        if (y.rank() != 3) throw new IllegalArgumentException("DiscriminatorP input must be [B, C, T], got " + y);
        int b = y.dim(0), c = y.dim(1), t = y.dim(2);
        if (t % period != 0) {
            int nPad = period - t % period;
            y = ReflectPad.lastDim(y, 0, nPad);
            t += nPad;
        }
        Tensor x = y.reshape(b, c, t / period, period); // [B, C, T/p, p]
        List<Tensor> fmaps = new ArrayList<>();
        for (Conv2d conv : convs) {
            x = Ops.leakyRelu(conv.forward(x), LRELU_SLOPE);
            fmaps.add(x);
        }
        x = convPost.forward(x); // [B, 1, H, p]
        fmaps.add(x);
        return new Output(x.reshape(b, -1), fmaps);
    }
}
