package io.bv2j.model;

import io.bv2j.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Seeded draws laid out so that an item's noise does not depend on the batch it is drawn in: a
 * request of shape [B, rows..., T] gives every row (item b, then the middle indices) its own
 * stream, seeded by (item b's seed, how many draws came before, row), read along T. An item
 * alone and the same item padded into a longer batch see the same values at every one of its
 * own positions, so a server that batches requests gives each the audio it would get alone.
 */
public final class RowSeededNoise implements Noise {
    private final long[] seeds;
    private int calls;

    /** One seed per batch item, in batch order. */
    public RowSeededNoise(long... seeds) {
        if (seeds.length == 0) throw new IllegalArgumentException("one seed per batch item is required");
        this.seeds = seeds.clone();
    }

    @Override
    public Tensor normal(String site, int... shape) {
        return draw(shape, true);
    }

    @Override
    public Tensor uniform(String site, int... shape) {
        return draw(shape, false);
    }

    private Tensor draw(int[] shape, boolean normal) {
        if (shape.length < 2 || shape[0] != seeds.length) {
            throw new IllegalArgumentException("draws must be [batch = " + seeds.length + ", ..., time]");
        }
        int call = calls++;
        Tensor t = Tensor.zeros(shape);
        int length = shape[shape.length - 1];
        long rowsPerItem = t.numel() / ((long) shape[0] * length);
        for (int b = 0; b < shape[0]; b++) {
            for (long r = 0; r < rowsPerItem; r++) {
                SplittableRandom row = new SplittableRandom(mix(seeds[b], call, r));
                long base = (b * rowsPerItem + r) * length;
                for (int i = 0; i < length; i++) t.set(base + i, (float) (normal ? SeededNoise.gaussian(row) : row.nextDouble()));
            }
        }
        return t;
    }

    /** A well-spread stream seed from (seed, call, row): SplitMix64's finaliser over a combination. */
    private static long mix(long seed, int call, long row) {
        long z = seed * 0x9E3779B97F4A7C15L + call * 0xC2B2AE3D27D4EB4FL + row * 0x165667B19E3779F9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
