package io.bv2j.nn;

import io.bv2j.tensor.Tensor;

import java.lang.foreign.Arena;

/**
 * A weight stored by torch's weight_norm as `<name>_g` and `<name>_v`: weight = g * v / ||v||
 * with the norm over every dim but 0 (for ConvTranspose1d, whose weight is [in, out, k], that is
 * per input channel). Folded once at load for inference; a checkpoint whose weight norm was
 * already removed may give the plain `<name>` instead.
 */
public final class WeightNormParameter extends Parameter {
    WeightNormParameter(int[] shape) {
        super(shape);
    }

    @Override
    void load(StateDict sd, String key, Arena arena) {
        if (sd.contains(key) && !sd.contains(key + "_v")) {
            super.load(sd, key, arena);
            return;
        }
        int[] gShape = new int[shape.length];
        java.util.Arrays.fill(gShape, 1);
        gShape[0] = shape[0];
        float[] g = sd.take(key + "_g", gShape);
        float[] v = sd.take(key + "_v", shape);
        value = Tensor.of(arena, fold(g, v, shape[0]), shape);
    }

    /** weight[i, ...] = g[i] * v[i, ...] / ||v[i, ...]||, accumulated in double. */
    static float[] fold(float[] g, float[] v, int rows) {
        int per = v.length / rows;
        float[] w = new float[v.length];
        for (int i = 0; i < rows; i++) {
            double sq = 0;
            for (int j = 0; j < per; j++) sq += (double) v[i * per + j] * v[i * per + j];
            double s = g[i] / Math.sqrt(sq);
            for (int j = 0; j < per; j++) w[i * per + j] = (float) (v[i * per + j] * s);
        }
        return w;
    }
}
