package io.bv2j.bench;

import io.bv2j.model.Generator;
import io.bv2j.model.Hparams;
import io.bv2j.tensor.Tensor;

import java.util.Random;

/** The decoder alone: random z [1, inter, frames] and speaker vector g [1, gin, 1] through dec.forward. */
final class DecoderBench implements Workload {
    private final Generator dec;
    private final int inter, gin, frames;
    private final float[] z, g;

    DecoderBench(Generator dec, Hparams hp, int frames) {
        this.dec = dec;
        this.inter = hp.interChannels();
        this.gin = hp.ginChannels();
        this.frames = frames;
        Random r = new Random(0);
        z = gaussian(r, inter * frames);
        g = gaussian(r, gin);
    }

    @Override
    public Rep run() {
        Tensor zt = Tensor.of(z, 1, inter, frames);
        Tensor gt = gin > 0 ? Tensor.of(g, 1, gin, 1) : null;
        long t0 = System.nanoTime();
        Tensor o = dec.forward(zt, gt);
        long t1 = System.nanoTime();
        return new Rep((t1 - t0) / 1e9, o.dim(2));
    }

    private static float[] gaussian(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) r.nextGaussian();
        return v;
    }
}
