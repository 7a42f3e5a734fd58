package io.bv2j.bench.jmh;

import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;
import java.util.Random;

/** Seeded random inputs that live in a benchmark trial's own arena (outside any per-call Scope). */
final class RandomTensors {
    private final Arena arena;
    private final Random random = new Random(0);

    RandomTensors(Arena arena) {
        this.arena = arena;
    }

    /** Standard normal values times `scale`. */
    Tensor gaussian(float scale, int... shape) {
        float[] v = new float[Math.toIntExact(numel(shape))];
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian() * scale;
        return Tensor.of(arena, v, shape);
    }

    /** Uniform values in [lo, hi). */
    Tensor uniform(float lo, float hi, int... shape) {
        float[] v = new float[Math.toIntExact(numel(shape))];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * random.nextFloat();
        return Tensor.of(arena, v, shape);
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }
}
