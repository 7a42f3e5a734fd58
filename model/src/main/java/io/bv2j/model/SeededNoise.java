package io.bv2j.model;

import io.bv2j.tensor.Tensor;

import java.util.SplittableRandom;

/** Reproducible draws from a seed (not torch's generator: the same seed gives the same audio in bv2j only). */
public final class SeededNoise implements Noise {
    private final SplittableRandom random;

    public SeededNoise(long seed) {
        this.random = new SplittableRandom(seed);
    }

    @Override
    public Tensor normal(String site, int... shape) {
        Tensor t = Tensor.zeros(shape);
        long n = t.numel();
        for (long i = 0; i < n; i++) t.set(i, (float) gaussian(random));
        return t;
    }

    @Override
    public Tensor uniform(String site, int... shape) {
        Tensor t = Tensor.zeros(shape);
        long n = t.numel();
        for (long i = 0; i < n; i++) t.set(i, (float) random.nextDouble());
        return t;
    }

    /** A standard normal draw from the stream: Marsaglia's polar method. */
    static double gaussian(SplittableRandom random) {
        double u, v, s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
