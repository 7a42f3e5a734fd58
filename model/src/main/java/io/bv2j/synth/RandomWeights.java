package io.bv2j.synth;

import io.bv2j.io.RawTensor;
import io.bv2j.nn.Module;
import io.bv2j.nn.StateDict;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded weights for a network with no checkpoint (benchmarks, the untrained demo): torch-like
 * scales (uniform ±1/sqrt(fan_in), embeddings N(0, 1/dim), LayerNorm 1/0, weight-norm g = ||v||)
 * so activations stay in a realistic range. Speed does not depend on the values.
 */
public final class RandomWeights {
    private RandomWeights() {
    }

    public static StateDict of(Module module, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, RawTensor> tensors = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        module.forEachParameterShape("", (name, shape) -> shapes.put(name, shape));
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            String name = e.getKey();
            int[] shape = e.getValue();
            int n = 1;
            for (int d : shape) n *= d;
            int fanIn = n / Math.max(1, shape[0]);
            float[] v = new float[n];
            if (name.endsWith("gamma")) {
                java.util.Arrays.fill(v, 1f);
            } else if (name.endsWith("beta")) {
                // zeros
            } else if (name.endsWith("_g")) {
                continue; // filled from its _v below
            } else if (name.endsWith("emb.weight") || name.endsWith("emb_g.weight")) {
                double std = 1 / Math.sqrt(shape[shape.length - 1]);
                for (int i = 0; i < n; i++) v[i] = (float) (gaussian(random) * std);
            } else {
                double bound = 1 / Math.sqrt(Math.max(1, fanIn));
                for (int i = 0; i < n; i++) v[i] = (float) ((2 * random.nextDouble() - 1) * bound);
            }
            values.put(name, v);
        }
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            String name = e.getKey();
            if (name.endsWith("_g")) {
                float[] vv = values.get(name.substring(0, name.length() - 2) + "_v");
                int rows = e.getValue()[0], per = vv.length / rows;
                float[] g = new float[rows];
                for (int r = 0; r < rows; r++) {
                    double sq = 0;
                    for (int j = 0; j < per; j++) sq += (double) vv[r * per + j] * vv[r * per + j];
                    g[r] = (float) Math.sqrt(sq);
                }
                values.put(name, g);
            }
            int[] s = e.getValue();
            long[] ls = new long[s.length];
            for (int i = 0; i < s.length; i++) ls[i] = s[i];
            tensors.put(name, RawTensor.ofFloats(ls, values.get(name)));
        }
        return new StateDict(tensors, "random weights (seed " + seed + ")");
    }

    private static double gaussian(SplittableRandom r) {
        double u, v, s;
        do {
            u = 2 * r.nextDouble() - 1;
            v = 2 * r.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        return u * Math.sqrt(-2 * Math.log(s) / s);
    }
}
