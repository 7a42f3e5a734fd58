package io.bv2j.model;

import io.bv2j.nn.Module;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * models.MultiPeriodDiscriminator: one scale discriminator (`discriminators.0`) and one
 * period discriminator per period 2, 3, 5, 7, 11 (`discriminators.1..5`).
 */
public final class MultiPeriodDiscriminator extends Module {
    private static final int[] PERIODS = {2, 3, 5, 7, 11};

    private final List<Discriminator> discriminators = new ArrayList<>();

    /** Per sub-discriminator, in order: scores of y and y_hat, and their feature maps. */
    public record Result(List<Tensor> realScores, List<Tensor> fakeScores, List<List<Tensor>> realFmaps,
                         List<List<Tensor>> fakeFmaps) {
    }

    public MultiPeriodDiscriminator(boolean useSpectralNorm) {
        discriminators.add(child("discriminators.0", new DiscriminatorS(useSpectralNorm)));
        for (int i = 0; i < PERIODS.length; i++) {
            discriminators.add(child("discriminators." + (i + 1), new DiscriminatorP(PERIODS[i], useSpectralNorm)));
        }
    }

    public List<Discriminator> discriminators() {
        return List.copyOf(discriminators);
    }

    /** y, yHat [B, 1, T]: every sub-discriminator on the real and the generated waveform. */
    public Result forward(Tensor y, Tensor yHat) {
        List<Tensor> realScores = new ArrayList<>(), fakeScores = new ArrayList<>();
        List<List<Tensor>> realFmaps = new ArrayList<>(), fakeFmaps = new ArrayList<>();
        for (Discriminator d : discriminators) {
            Discriminator.Output real = d.forward(y), fake = d.forward(yHat);
            realScores.add(real.score());
            fakeScores.add(fake.score());
            realFmaps.add(real.fmaps());
            fakeFmaps.add(fake.fmaps());
        }
        return new Result(realScores, fakeScores, realFmaps, fakeFmaps);
    }
}
