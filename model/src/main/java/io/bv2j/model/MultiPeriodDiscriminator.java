package io.bv2j.model;

import io.bv2j.nn.Module;
import io.bv2j.tensor.Ops;
import io.bv2j.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
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

    /** Per sub-discriminator, in order: the scores of y and of y_hat. */
    public record Scores(List<Tensor> real, List<Tensor> fake) {
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

    /**
     * The scores of {@link #forward} (what the discriminator's own loss needs), with y and yHat
     * through each sub-discriminator as one [2B, 1, T] batch: each layer's weight is computed
     * once and its GEMM is twice as wide. For the discriminator's step, which back-propagates
     * through both halves; where only yHat needs a gradient, forward spares the real half's.
     */
    public Scores scores(Tensor y, Tensor yHat) {
        if (!Arrays.equals(y.shape(), yHat.shape())) {
            throw new IllegalArgumentException("y " + y + " and y_hat " + yHat + " differ in shape");
        }
        int b = y.dim(0);
        Tensor both = Ops.cat(0, y, yHat); // [2B, 1, T]
        List<Tensor> real = new ArrayList<>(), fake = new ArrayList<>();
        for (Discriminator d : discriminators) {
            Tensor score = d.forward(both).score(); // [2B, N]
            real.add(Ops.narrow(score, 0, 0, b));
            fake.add(Ops.narrow(score, 0, b, b));
        }
        return new Scores(real, fake);
    }
}
